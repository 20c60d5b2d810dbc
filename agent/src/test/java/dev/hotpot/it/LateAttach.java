package dev.hotpot.it;

import com.sun.tools.attach.VirtualMachine;
import dev.hotpot.it.model.Circle;
import dev.hotpot.it.model.Everything;
import dev.hotpot.object.PersistentObject;
import dev.hotpot.testing.ChildJvm;

import java.time.Duration;

/**
 * Child JVM of {@link AgentStartupIT}, started without the agent: uses a {@code @Persistent}
 * class, then attaches the agent to itself. The class loaded before stays a plain Java class
 * (and keeps working); a persistent class loaded after is rewritten, and this class's code, loaded
 * before the agent, reaches its fields (in a method called after the attach: the running
 * {@code main} frame keeps its old code).
 *
 * <p>Arguments: agentJar agentArguments.
 */
public final class LateAttach {
    public static void main(String[] args) throws Exception {
        ChildJvm.selfDestructAfter(Duration.ofSeconds(60));
        Everything early = new Everything();
        early.l = 5;
        VirtualMachine self = VirtualMachine.attach(Long.toString(ProcessHandle.current().pid()));
        try {
            self.loadAgent(args[0], args[1]);
        } finally {
            self.detach();
        }
        afterAttach(early);
    }

    private static void afterAttach(Everything early) {
        early.l++;
        System.out.println("EARLY plain=" + !(((Object) early) instanceof PersistentObject) + " l=" + early.l);
        Circle late = new Circle(1, 2);
        late.radius *= 2;
        System.out.println("LATE persistent=" + (((Object) late) instanceof PersistentObject) + " radius=" + late.radius);
    }
}
