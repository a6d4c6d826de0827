package org.smimegw.mailets.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConfigFileExceptionTest {

    @Test
    void messageIsFileLineReason() {
        ConfigFileException e = new ConfigFileException("conf/policy.yaml", 3, "unknown setting 'X'");
        assertThat(e.getMessage()).isEqualTo("conf/policy.yaml:3: unknown setting 'X'");
        assertThat(new ConfigFileException("conf/policy.yaml", "file not found").getMessage())
                .isEqualTo("conf/policy.yaml: file not found");
    }

    @Test
    void aReasonQuotingLineBreaksOrControlCharactersStaysOneLine() {
        // parsers quote the offending input, which may hold line breaks (SnakeYAML: "but found \n(10)")
        ConfigFileException e = new ConfigFileException("conf/mailetcontainer.xml", 4,
                "XML version \"1.0cher>\r\n  </matchers>\n\t<processors>\u2028x\u0000y\" is not supported");
        assertThat(e.getMessage()).isEqualTo(
                "conf/mailetcontainer.xml:4: XML version \"1.0cher> </matchers> <processors> x y\" is not supported");
        assertThat(e.reason()).doesNotContain("\n", "\r", "\t");
    }
}
