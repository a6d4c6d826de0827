package org.smimegw.gateway.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RecipientResultTest {
    @Test
    void classifiesRepliesAndTakesTheEnhancedStatusFromTheReplyText() {
        assertThat(RecipientResult.fromReply("a@b", 250, "250 2.1.5 Ok"))
                .isEqualTo(new RecipientResult("a@b", RecipientResult.Outcome.DELIVERED, "2.1.5", "250 2.1.5 Ok"));
        assertThat(RecipientResult.fromReply("a@b", 452, "452 4.2.2 mailbox full").outcome())
                .isEqualTo(RecipientResult.Outcome.DEFERRED);
        assertThat(RecipientResult.fromReply("a@b", 550, "550 5.1.1 no such user").status()).isEqualTo("5.1.1");
        assertThat(RecipientResult.fromReply("a@b", 554, "554 rejected").status()).isEqualTo("5.0.0");
        // an enhanced code whose class contradicts the reply code is not trusted
        assertThat(RecipientResult.fromReply("a@b", 451, "451 5.7.1 odd").status()).isEqualTo("4.0.0");
        assertThat(RecipientResult.fromReply("a@b", 550, "550 5.1.1 multi\r\nline").diagnostic())
                .isEqualTo("550 5.1.1 multi line");
    }

    @Test
    void diagnosticsAreOnePrintableLineWithoutRunsOfSpaces() {
        assertThat(RecipientResult.oneLine("  451 \t\t4.3.0  try\r\n again  ")).isEqualTo("451 4.3.0 try again");
        assertThat(RecipientResult.oneLine("caf\u00e9 \u0000ok")).isEqualTo("caf ok");
        assertThat(RecipientResult.oneLine(" \r\n ")).isEmpty();
        assertThat(RecipientResult.oneLine(null)).isEmpty();
        assertThat(RecipientResult.oneLine("x".repeat(600))).hasSize(500);
    }

    @Test
    void everyRecipientOfAnAcceptedTransactionGetsTheFinalReply() {
        assertThat(SmtpOutcomes.allAccepted(java.util.List.of("a@b", "c@d"), "250 2.0.0 Ok: queued as X"))
                .containsExactly(
                        new RecipientResult("a@b", RecipientResult.Outcome.DELIVERED, "2.0.0", "250 2.0.0 Ok: queued as X"),
                        new RecipientResult("c@d", RecipientResult.Outcome.DELIVERED, "2.0.0", "250 2.0.0 Ok: queued as X"));
    }
}
