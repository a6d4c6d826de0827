package org.smimegw.mailets.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.DigestCalculatorProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Digest calculators that hand the digest whole blocks. Bouncy Castle's S/MIME generators and parsers canonicalise
 * signed content through {@code CRLFOutputStream}, which writes one byte at a time; the JCA digest stream behind it
 * then calls {@code MessageDigest.update(byte)} per byte (a bounds check, a one-byte copy and a buffer test each).
 * Here the bytes collect in an 8 KiB buffer and reach the digest as blocks, the form the SHA intrinsics process; the
 * digest value is the same. Thread-safe (each calculator is used by one thread).
 */
final class BlockDigestCalculators implements DigestCalculatorProvider {

    static final int BLOCK = 8 * 1024;

    private final DigestCalculatorProvider delegate;

    BlockDigestCalculators(DigestCalculatorProvider delegate) {
        this.delegate = delegate;
    }

    @Override
    public DigestCalculator get(AlgorithmIdentifier algorithm) throws OperatorCreationException {
        DigestCalculator calculator = delegate.get(algorithm);
        return new DigestCalculator() {
            private BlockOutputStream out;

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return calculator.getAlgorithmIdentifier();
            }

            @Override
            public OutputStream getOutputStream() {
                if (out == null) {
                    out = new BlockOutputStream(calculator.getOutputStream());
                }
                return out;
            }

            @Override
            public byte[] getDigest() {
                if (out != null) {
                    try {
                        out.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException("digest stream failed", e); // a digest stream does not do I/O
                    }
                }
                return calculator.getDigest();
            }
        };
    }

    /**
     * Collects bytes into blocks for one thread: unlike {@link java.io.BufferedOutputStream}, which takes a lock for
     * every write (a write per byte here), and whose buffer starts small and grows.
     */
    private static final class BlockOutputStream extends OutputStream {
        private final OutputStream digest;
        private final byte[] block = new byte[BLOCK];
        private int count;

        BlockOutputStream(OutputStream digest) {
            this.digest = digest;
        }

        @Override
        public void write(int b) throws IOException {
            if (count == block.length) {
                flushBlock();
            }
            block[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len >= block.length) {
                flushBlock();
                digest.write(b, off, len);
                return;
            }
            if (len > block.length - count) {
                flushBlock();
            }
            System.arraycopy(b, off, block, count, len);
            count += len;
        }

        @Override
        public void flush() throws IOException {
            flushBlock();
            digest.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
            digest.close();
        }

        private void flushBlock() throws IOException {
            if (count > 0) {
                digest.write(block, 0, count);
                count = 0;
            }
        }
    }
}
