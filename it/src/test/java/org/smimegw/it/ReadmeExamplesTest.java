package org.smimegw.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** How README.md's examples are found and their output compared (the runner is {@link ReadmeExamplesIT}). */
class ReadmeExamplesTest {

    @Test
    void commandBlocksInOrderWithTheirOutputAndTheLogExpectations() {
        ReadmeExamples readme = ReadmeExamples.parse("""
                # Title
                ```sh readme-test background
                bin/smime-gateway run
                ```
                text
                ```text readme-output
                gateway ready: …
                ```
                ```sh readme-skip
                sudo dpkg -i x.deb
                ```
                ```yaml
                a: b
                ```
                ```sh readme-test
                echo one
                echo two
                ```
                ```text readme-log
                … queued …

                ```
                """);
        assertThat(readme.skipped()).isEqualTo(1);
        assertThat(readme.examples()).extracting(ReadmeExamples.Example::kind).containsExactly(
                ReadmeExamples.Kind.BACKGROUND, ReadmeExamples.Kind.COMMAND, ReadmeExamples.Kind.LOG);
        assertThat(readme.examples().get(0).expected()).containsExactly("gateway ready: …");
        assertThat(readme.examples().get(0).line()).isEqualTo(2);
        assertThat(readme.examples().get(1).script()).isEqualTo("echo one\necho two");
        assertThat(readme.examples().get(1).expected()).isEmpty();
        assertThat(readme.examples().get(2).expected()).containsExactly("… queued …");
    }

    @Test
    void aShellBlockWithoutMarkIsRefused() {
        assertThatThrownBy(() -> ReadmeExamples.parse("text\n```sh\nrm -rf /\n```\n"))
                .hasMessageContaining("README.md:2").hasMessageContaining("without readme-test or readme-skip");
    }

    @Test
    void outputWithoutACommandIsRefused() {
        assertThatThrownBy(() -> ReadmeExamples.parse("```yaml\na: 1\n```\n```text readme-output\nx\n```\n"))
                .hasMessageContaining("must follow a readme-test block");
    }

    @Test
    void expectedLinesMustAppearInOrderWithTheEllipsisForAnything() {
        String output = "250 2.0.0 Ok: queued as 01A2\nsomething else\nexit 3\n";
        assertThat(ReadmeExamples.firstMissing(List.of("250 2.0.0 Ok: queued as …", "exit 3"), output)).isNull();
        assertThat(ReadmeExamples.firstMissing(List.of("exit 3", "250 2.0.0 Ok: queued as …"), output))
                .isEqualTo("250 2.0.0 Ok: queued as …");
        assertThat(ReadmeExamples.firstMissing(List.of("exit 1"), output)).isEqualTo("exit 1");
        // a whole line, not a part of one; regex characters are literal
        assertThat(ReadmeExamples.firstMissing(List.of("Ok: queued as …"), output)).isNotNull();
        assertThat(ReadmeExamples.firstMissing(List.of("250 2.0.0 Ok. queued as …"), output)).isNotNull();
    }
}
