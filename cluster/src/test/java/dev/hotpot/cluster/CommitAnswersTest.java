package dev.hotpot.cluster;

import dev.hotpot.transport.Connection;
import dev.hotpot.transport.Frame;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link CommitAnswers}: an answer is due once the commit point reaches its record's end, comes
 * out once and in the order of the ends whatever the order of adding, and one whose connection
 * closed or whose deadline passed is dropped.
 */
class CommitAnswersTest {
    private static final long NOW = 1_000_000;

    @Test
    void answersComeOutOnceTheCommitPointReachesTheirRecordInTheOrderOfTheRecords() {
        CommitAnswers answers = new CommitAnswers();
        Connection open = new FakeConnection(true);
        for (long end : new long[] {300, 100, 200, 400}) {
            answers.add(answer(end, NOW, open));
        }
        assertEquals(List.of(), ends(answers.takeDue(99)));
        assertEquals(List.of(100L, 200L), ends(answers.takeDue(250)));
        assertEquals(List.of(), ends(answers.takeDue(250)), "an answer comes out once");
        assertEquals(List.of(300L, 400L), ends(answers.takeDue(400)));
    }

    @Test
    void answersThatCannotBeGivenOrAreTooLateAreDropped() {
        CommitAnswers answers = new CommitAnswers();
        Connection open = new FakeConnection(true);
        answers.add(answer(100, NOW + 10, open));
        answers.add(answer(200, NOW - 10, open));
        answers.add(answer(300, NOW + 10, new FakeConnection(false)));
        assertEquals(2, answers.dropStale(NOW));
        assertEquals(List.of(100L), ends(answers.takeDue(Long.MAX_VALUE)));
        answers.add(answer(500, NOW + 10, open));
        answers.clear();
        assertTrue(answers.takeDue(Long.MAX_VALUE).isEmpty());
    }

    private static CommitAnswers.Answer answer(long end, long deadline, Connection connection) {
        return new CommitAnswers.Answer(end, deadline, connection, Frame.request(Messages.COMMIT, 1, new byte[0]),
                new byte[0]);
    }

    private static List<Long> ends(List<CommitAnswers.Answer> due) {
        return due.stream().map(CommitAnswers.Answer::end).toList();
    }

    /** A connection that is open or not, and refuses everything else. */
    private record FakeConnection(boolean isOpen) implements Connection {
        @Override
        public String peerId() {
            return "peer";
        }

        @Override
        public void send(Frame frame) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void sendQueued(Frame frame) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Frame> request(Frame frame) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void reply(Frame request, int type, long epoch, byte[] payload) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isBacklogged() {
            return false;
        }

        @Override
        public long sentBytes() {
            return 0;
        }

        @Override
        public void close() {
        }
    }
}
