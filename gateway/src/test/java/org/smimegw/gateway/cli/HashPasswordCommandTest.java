package org.smimegw.gateway.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import org.smimegw.gateway.smtp.PasswordHasher;

class HashPasswordCommandTest {

    private static MainTest.Result run(String stdin) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
        CommandLine sub = new CommandLine(new HashPasswordCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false));
        sub.setOut(cli.getOut());
        sub.setErr(cli.getErr());
        sub.setExecutionExceptionHandler(cli.getExecutionExceptionHandler());
        int code = sub.execute();
        return new MainTest.Result(code, out.toString(), err.toString());
    }

    @Test
    void printsAHashTheSmtpFrontEndAccepts() {
        MainTest.Result result = run("s3cret pass\n");
        assertThat(result.code()).isZero();
        String hash = result.out().strip();
        assertThat(PasswordHasher.isWellFormed(hash)).isTrue();
        assertThat(new PasswordHasher().verify("s3cret pass".toCharArray(), hash)).isTrue();
        assertThat(new PasswordHasher().verify("other".toCharArray(), hash)).isFalse();
        assertThat(result.out()).doesNotContain("s3cret");
    }

    @Test
    void emptyInputIsAnError() {
        MainTest.Result result = run("");
        assertThat(result.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(result.err()).contains("no password on standard input");
    }
}
