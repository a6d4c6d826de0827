package org.smimegw.mailets.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.util.Random;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.Test;

/** Buffering the digest stream changes how the bytes reach the digest, never the digest. */
class BlockDigestCalculatorsTest {

    @Test
    void digestIsTheSameWhetherBytesComeOneByOneOrInBlocksAcrossTheBufferSize() throws Exception {
        byte[] data = new byte[3 * BlockDigestCalculators.BLOCK + 17];
        new Random(11).nextBytes(data);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
        BlockDigestCalculators calculators = new BlockDigestCalculators(new JcaDigestCalculatorProviderBuilder().build());
        AlgorithmIdentifier sha256 = new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256);

        DigestCalculator bytewise = calculators.get(sha256);
        OutputStream out = bytewise.getOutputStream();
        for (byte b : data) {
            out.write(b);
        }
        assertThat(bytewise.getDigest()).isEqualTo(expected);

        DigestCalculator mixed = calculators.get(sha256);
        OutputStream m = mixed.getOutputStream();
        m.write(data, 0, 5);
        m.write(data[5]);
        m.write(data, 6, 2 * BlockDigestCalculators.BLOCK); // larger than the buffer: passes through
        m.write(data, 6 + 2 * BlockDigestCalculators.BLOCK, data.length - 6 - 2 * BlockDigestCalculators.BLOCK);
        m.close();
        assertThat(mixed.getDigest()).isEqualTo(expected);

        for (int chunk : new int[] {1000, BlockDigestCalculators.BLOCK - 1, BlockDigestCalculators.BLOCK}) {
            DigestCalculator chunked = calculators.get(sha256);
            OutputStream c = chunked.getOutputStream();
            for (int off = 0; off < data.length; off += chunk) {
                c.write(data, off, Math.min(chunk, data.length - off)); // chunks that straddle the buffer's end
            }
            assertThat(chunked.getDigest()).as("chunks of %d", chunk).isEqualTo(expected);
        }
        assertThat(mixed.getAlgorithmIdentifier()).isEqualTo(sha256);
    }
}
