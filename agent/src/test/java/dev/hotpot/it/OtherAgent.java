package dev.hotpot.it;

import dev.hotpot.Hotpot;
import dev.hotpot.it.model.Account;
import dev.hotpot.it.model.Everything;
import dev.hotpot.testing.ChildJvm;

import java.time.Duration;

/**
 * Child JVM of {@link AgentStartupIT}, run with the hotpot agent and {@link RetransformingAgent}:
 * retransforms a persistent class and a class with {@code @Transactional} methods, then checks
 * that both still behave.
 */
public final class OtherAgent {
    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        Everything e = Hotpot.root("other-agent", Everything.class, Everything::new);
        e.l = 7;
        Account a = new Account("a", 10);
        Account b = new Account("b", 0);
        RetransformingAgent.instrumentation.retransformClasses(Everything.class, Account.class, OtherAgent.class);
        e.l += 1;
        Account.transfer(a, b, 4);
        boolean rolledBack;
        try {
            Account.transfer(a, b, 100);
            rolledBack = false;
        } catch (IllegalStateException expected) {
            rolledBack = a.balance == 6 && b.balance == 4;
        }
        System.out.println("AFTER-RETRANSFORM l=" + e.l + " a=" + a.balance + " b=" + b.balance + " rolledBack=" + rolledBack);
    }
}
