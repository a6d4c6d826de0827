package org.smimegw.gateway.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves the exclusions in gateway/pom.xml: the event-bus, task, Reactor, Scala, MDN and parboiled artifacts are
 * not on the class path at all, and the container with standard mailets runs on the run-time class path, i.e.
 * without the compile-only (provided) mailbox-api jar.
 */
class DependencyDietTest {

    @TempDir
    Path dir;

    @Test
    void excludedArtifactsAreAbsent() {
        for (String name : List.of("reactor.core.publisher.Mono", "scala.Option",
                "org.apache.james.events.Event", "org.apache.james.task.Task", "org.parboiled2.Parser",
                "org.apache.james.mdn.MDN", "org.reactivestreams.Publisher")) {
            assertThatThrownBy(() -> Class.forName(name)).as(name).isInstanceOf(ClassNotFoundException.class);
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void containerWithStandardMailetsRunsWithoutMailboxApi() throws Exception {
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        List<URL> urls = new ArrayList<>();
        int hidden = 0;
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.contains("apache-james-mailbox-api")) {
                hidden++;
                continue;
            }
            urls.add(Path.of(entry).toUri().toURL());
        }
        assertThat(hidden).as("mailbox-api jar on the test class path").isEqualTo(1);
        try (URLClassLoader runtime = new URLClassLoader(urls.toArray(URL[]::new),
                ClassLoader.getPlatformClassLoader())) {
            Class<?> scenario = Class.forName(DietScenario.class.getName(), true, runtime);
            assertThat(scenario.getClassLoader()).isSameAs(runtime);
            // Jakarta Mail finds its providers through the context class loader
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            List<String> result;
            thread.setContextClassLoader(runtime);
            try {
                result = (List<String>) scenario.getMethod("run", Path.class).invoke(null, dir);
            } finally {
                thread.setContextClassLoader(previous);
            }
            assertThat(result).containsExactly(
                    "mailbox-api hidden",
                    "json round trip true",
                    "duplicate true",
                    "out [bob@example.org] [Subject: [gw] test, X-Prefixed: 1]",
                    "local [carol@example.com] [Subject: [gw] test, X-Internal-Route: a, X-Prefixed: 1]",
                    "final state ghost");
        }
    }
}
