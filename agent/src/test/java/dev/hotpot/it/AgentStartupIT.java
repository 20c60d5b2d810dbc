package dev.hotpot.it;

import dev.hotpot.it.support.AgentHeap;
import dev.hotpot.it.support.AgentJvm;
import dev.hotpot.it.support.SourceApp;
import dev.hotpot.object.PersistentObject;
import dev.hotpot.testing.ChildJvm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** How the agent starts: its arguments, classes loaded before it, classes of child class loaders. */
class AgentStartupIT {
    @TempDir
    Path dir;

    @Test
    void anUnknownAgentArgumentStopsTheJvmWithAClearMessage() throws Exception {
        try (ChildJvm child = AgentJvm.start("dir=" + dir + ",colour=blue", RoundTrip.class, "write")) {
            assertNotEquals(0, child.awaitExit(Duration.ofSeconds(60)));
            assertTrue(child.transcript().contains("'colour=blue'") && child.transcript().contains("durability=..."),
                    child.transcript());
        }
    }

    @Test
    void classesLoadedBeforeALateAttachAreReportedAndKeepWorking() throws Exception {
        String classPath = System.getProperty("hotpot.test.classes");
        List<String> options = List.of("-XX:+EnableDynamicAgentLoading", "-Djdk.attach.allowAttachSelf=true");
        String helpers = System.getProperty("java.class.path");
        try (ChildJvm child = ChildJvm.start(options, classPath + File.pathSeparator + helpers, LateAttach.class.getName(),
                AgentJvm.agentJar().toString(), "dir=" + dir + ",heap=late")) {
            assertEquals(0, child.awaitExit(Duration.ofSeconds(60)), child.transcript());
            String out = child.transcript();
            assertTrue(out.contains("loaded before the agent started") && out.contains("dev.hotpot.it.model.Everything"), out);
            assertTrue(out.contains("EARLY plain=true l=6"), out);
            assertTrue(out.contains("LATE persistent=true radius=4.0"), out);
        }
    }

    @Test
    void persistentClassesOfAChildClassLoaderAreRewritten() throws Exception {
        AgentHeap.ensureOpen();
        Path classes = SourceApp.compile(dir, "plugin", Map.of("plugin.Box", """
                package plugin;
                @dev.hotpot.Persistent
                public class Box {
                    public String label;
                    public Box inner;
                    public static Object make(String label) {
                        Box box = new Box();
                        box.label = label;
                        box.inner = new Box();
                        box.inner.label = label + "/inner";
                        return dev.hotpot.Hotpot.root("plugin-box", Box.class, () -> box);
                    }
                    public static String describe(Object o) {
                        Box box = (Box) o;
                        return box.label + " " + box.inner.label;
                    }
                }
                """));
        try (URLClassLoader loader = new URLClassLoader(new URL[]{classes.toUri().toURL()}, getClass().getClassLoader())) {
            Class<?> box = loader.loadClass("plugin.Box");
            assertTrue(PersistentObject.class.isAssignableFrom(box), "rewritten though its loader is a child loader");
            Object made = box.getMethod("make", String.class).invoke(null, "parcel");
            Method describe = box.getMethod("describe", Object.class);
            assertEquals("parcel parcel/inner", describe.invoke(null, made));
        }
    }
}
