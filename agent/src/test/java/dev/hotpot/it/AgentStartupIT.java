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
            String out = child.awaitSuccess(Duration.ofSeconds(60));
            assertTrue(out.contains("loaded before the agent started") && out.contains("dev.hotpot.it.model.Everything"), out);
            assertTrue(out.contains("EARLY plain=true l=6"), out);
            assertTrue(out.contains("LATE persistent=true radius=4.0"), out);
        }
    }

    @Test
    void anotherAgentsRetransformationKeepsTheRewrite() throws Exception {
        Path agentJar = dir.resolve("retransforming-agent.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", RetransformingAgent.class.getName());
        manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        try (var out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(agentJar), manifest)) {
            String entry = RetransformingAgent.class.getName().replace('.', '/') + ".class";
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            out.write(java.nio.file.Files.readAllBytes(Path.of(System.getProperty("hotpot.test.classes"), entry)));
            out.closeEntry();
        }
        List<String> options = List.of("-javaagent:" + AgentJvm.agentJar() + "=dir=" + dir + ",heap=other", "-javaagent:" + agentJar);
        try (ChildJvm child = ChildJvm.start(options, System.getProperty("hotpot.test.classes") + File.pathSeparator
                + System.getProperty("java.class.path"), OtherAgent.class.getName())) {
            child.awaitSuccess(Duration.ofSeconds(60));
            assertTrue(child.transcript().contains("AFTER-RETRANSFORM l=8 a=6 b=4 rolledBack=true"), child.transcript());
        }
    }

    @Test
    void persistentClassesOfAChildClassLoaderAreRewritten() throws Exception {
        AgentHeap.ensureOpen();
        try (URLClassLoader loader = new URLClassLoader(new URL[]{plugin("url").toUri().toURL()}, getClass().getClassLoader())) {
            assertBoxWorks(loader, "plugin-url");
        }
    }

    @Test
    void persistentClassesDefinedFromBytesWithoutResourcesAreRewritten() throws Exception {
        AgentHeap.ensureOpen();
        Path classes = plugin("bytes");
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                Path file = classes.resolve(name.replace('.', '/') + ".class");
                try {
                    byte[] bytes = java.nio.file.Files.readAllBytes(file);
                    return defineClass(name, bytes, 0, bytes.length);
                } catch (java.io.IOException e) {
                    throw new ClassNotFoundException(name, e);
                }
            }

            @Override
            public URL getResource(String name) {
                return name.startsWith("plugin/") ? null : super.getResource(name);
            }
        };
        assertBoxWorks(loader, "plugin-bytes");
    }

    private static void assertBoxWorks(ClassLoader loader, String root) throws Exception {
        Class<?> box = loader.loadClass("plugin.Box");
        assertTrue(PersistentObject.class.isAssignableFrom(box), "rewritten whatever loader defines it");
        Object made = box.getMethod("make", String.class, String.class).invoke(null, root, "parcel");
        Method describe = box.getMethod("describe", Object.class);
        assertEquals("parcel parcel/inner", describe.invoke(null, made));
    }

    private Path plugin(String name) throws Exception {
        return SourceApp.compile(dir, name, Map.of("plugin.Box", """
                package plugin;
                @dev.hotpot.Persistent
                public class Box {
                    public String label;
                    public Box inner;
                    public static Object make(String root, String label) {
                        Box box = new Box();
                        box.label = label;
                        box.inner = new Box();
                        box.inner.label = label + "/inner";
                        return dev.hotpot.Hotpot.root(root, Box.class, () -> box);
                    }
                    public static String describe(Object o) {
                        Box box = (Box) o;
                        return box.label + " " + box.inner.label;
                    }
                }
                """));
    }
}
