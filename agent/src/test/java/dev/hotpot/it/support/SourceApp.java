package dev.hotpot.it.support;

import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A small application compiled at test time against the agent jar, so a test can run several
 * versions of the same classes (a schema change) in successive JVMs.
 */
public final class SourceApp {
    private SourceApp() {
    }

    /** Compiles {@code sources} (class name → source) into a new folder under {@code parent} and returns it. */
    public static Path compile(Path parent, String name, Map<String, String> sources) throws IOException {
        Path out = Files.createDirectories(parent.resolve(name));
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((className, source) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + className.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return source;
            }
        }));
        StringWriter diagnostics = new StringWriter();
        boolean ok = compiler.getTask(diagnostics, null, null,
                List.of("-d", out.toString(), "-cp", AgentJvm.agentJar().toString(), "--release", "25"), null, units).call();
        if (!ok) {
            throw new IllegalStateException("test sources of " + name + " do not compile:\n" + diagnostics);
        }
        return out;
    }
}
