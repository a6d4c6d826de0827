package org.smimegw.certstore.importer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1InputStream;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.ASN1TaggedObject;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.openssl.EncryptionException;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;
import org.smimegw.certstore.sst.SerializedStore;
import org.smimegw.certstore.sst.SerializedStoreReader;

/**
 * Reads certificates, CRLs and keys from a file's bytes, detecting the format by content (never by name):
 * serialized store header, PEM armour, or the shape of the DER structure (PKCS#12 PFX, CMS ContentInfo,
 * Certificate, CertificateList). Stateless and safe for concurrent use.
 */
public final class CertificateFileParser {

    private static final byte[] PEM_MARK = "-----BEGIN".getBytes(StandardCharsets.US_ASCII);

    private final JcaX509CertificateConverter certificates = new JcaX509CertificateConverter();
    private final JcaX509CRLConverter crls = new JcaX509CRLConverter();
    private final SerializedStoreReader sstReader = new SerializedStoreReader();

    /** The format of {@code data}; throws when it is none of the supported ones. */
    public CertificateFormat detect(byte[] data) throws ImportException {
        if (data.length == 0) {
            return CertificateFormat.EMPTY;
        }
        if (SerializedStoreReader.looksLikeSerializedStore(data)) {
            return CertificateFormat.SST;
        }
        ASN1Sequence seq = (data[0] & 0xff) == 0x30 ? derSequence(data) : null;
        if (seq == null && indexOf(data, PEM_MARK, data.length) >= 0) {
            return CertificateFormat.PEM;
        }
        if (seq != null) {
            if (seq.size() >= 2) {
                ASN1Encodable first = seq.getObjectAt(0);
                // any INTEGER may stand here; only a PFX's version 3 makes it PKCS#12 (no int conversion to fail)
                if (first instanceof ASN1Integer version && seq.getObjectAt(1) instanceof ASN1Sequence
                        && version.hasValue(3)) {
                    return CertificateFormat.PKCS12;
                }
                if (first instanceof ASN1ObjectIdentifier oid) {
                    if (CMSObjectIdentifiers.signedData.equals(oid)) {
                        return CertificateFormat.PKCS7;
                    }
                    throw new ImportException("a CMS/PKCS#7 structure of type " + oid
                            + " holds no certificates (expected SignedData 1.2.840.113549.1.7.2)");
                }
                if (first instanceof ASN1Sequence tbs && seq.size() == 3) {
                    // Certificate: tbs starts with [0] version or the serial INTEGER, then AlgorithmIdentifier;
                    // CertificateList: tbs starts with the optional version INTEGER or AlgorithmIdentifier, then Name
                    ASN1Encodable t0 = tbs.size() > 0 ? tbs.getObjectAt(0) : null;
                    if (t0 instanceof ASN1TaggedObject) {
                        return CertificateFormat.DER_CERTIFICATE;
                    }
                    int i = t0 instanceof ASN1Integer ? 1 : 0;
                    if (tbs.size() > i + 1 && tbs.getObjectAt(i) instanceof ASN1Sequence alg
                            && alg.size() > 0 && alg.getObjectAt(0) instanceof ASN1ObjectIdentifier) {
                        return CertificateFormat.DER_CRL;      // version?, signature AlgorithmIdentifier, issuer...
                    }
                    return CertificateFormat.DER_CERTIFICATE;  // v1 certificate: serial, signature, ...
                }
            }
            throw new ImportException("DER data is not a certificate, CRL, PKCS#7 or PKCS#12 structure");
        }
        throw new ImportException("unrecognised format: not PEM, DER, PKCS#7, PKCS#12 or a serialized store (.sst)");
    }

    /**
     * Parses {@code data}. {@code password} opens PKCS#12 files and encrypted PEM keys; it may be null otherwise.
     *
     * @throws WrongPasswordException when the password does not open the file
     * @throws ImportException        for anything unreadable
     */
    public ParsedFile parse(byte[] data, char[] password) throws ImportException {
        CertificateFormat format = detect(data);
        List<X509Certificate> certs = new ArrayList<>();
        List<X509CRL> crlList = new ArrayList<>();
        List<KeyEntry> keys = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        try {
            switch (format) {
                case EMPTY -> notes.add("empty file: nothing to import");
                case SST -> readSst(data, certs, crlList, notes);
                case PEM -> readPem(data, password, certs, crlList, keys, notes);
                case DER_CERTIFICATE -> certs.add(certificates.getCertificate(new X509CertificateHolder(data)));
                case DER_CRL -> crlList.add(crls.getCRL(new X509CRLHolder(data)));
                case PKCS7 -> readSignedData(new CMSSignedData(data), certs, crlList);
                case PKCS12 -> readPkcs12(data, password, certs, keys);
            }
        } catch (ImportException e) {
            throw e;
        } catch (IOException | GeneralSecurityException | CMSException | RuntimeException e) {
            throw new ImportException("damaged " + format + " data: " + oneLine(e), e);
        }
        return new ParsedFile(format, certs, crlList, keys, notes);
    }

    private void readSst(byte[] data, List<X509Certificate> certs, List<X509CRL> crlList, List<String> notes)
            throws IOException, GeneralSecurityException {
        SerializedStore store = sstReader.read(data);
        for (byte[] der : store.certificates()) {
            certs.add(certificates.getCertificate(new X509CertificateHolder(der)));
        }
        for (byte[] der : store.crls()) {
            crlList.add(crls.getCRL(new X509CRLHolder(der)));
        }
        if (store.skippedProperties() > 0) {
            notes.add("skipped " + store.skippedProperties() + " property entries");
        }
        if (store.skippedCtls() > 0) {
            notes.add("skipped " + store.skippedCtls() + " certificate trust lists (CTL)");
        }
    }

    private void readSignedData(CMSSignedData signed, List<X509Certificate> certs, List<X509CRL> crlList)
            throws GeneralSecurityException {
        for (X509CertificateHolder h : signed.getCertificates().getMatches(null)) {
            certs.add(certificates.getCertificate(h));
        }
        for (X509CRLHolder h : signed.getCRLs().getMatches(null)) {
            crlList.add(crls.getCRL(h));
        }
    }

    private void readPkcs12(byte[] data, char[] password, List<X509Certificate> certs, List<KeyEntry> keys)
            throws ImportException, GeneralSecurityException {
        if (password == null) {
            throw new ImportException("PKCS#12 file needs a password (give --password-env or --password-file)");
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(new ByteArrayInputStream(data), password);
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
                throw new WrongPasswordException("wrong password for the PKCS#12 file", e);
            }
            throw new ImportException("damaged PKCS#12 data: " + oneLine(e), e);
        }
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                Key key;
                try {
                    key = store.getKey(alias, password);
                } catch (UnrecoverableKeyException e) {
                    throw new WrongPasswordException("wrong password for the private key '" + alias
                            + "' in the PKCS#12 file", e);
                }
                Certificate[] chain = store.getCertificateChain(alias);
                if (key instanceof PrivateKey privateKey && chain != null && chain.length > 0) {
                    List<X509Certificate> x509 = new ArrayList<>();
                    for (Certificate c : chain) {
                        x509.add((X509Certificate) c);
                    }
                    keys.add(new KeyEntry(privateKey, x509.get(0), x509.subList(1, x509.size())));
                    addDistinct(certs, x509);
                }
            } else if (store.getCertificate(alias) instanceof X509Certificate c) {
                addDistinct(certs, List.of(c));
            }
        }
    }

    private void readPem(byte[] data, char[] password, List<X509Certificate> certs, List<X509CRL> crlList,
                         List<KeyEntry> keys, List<String> notes)
            throws IOException, GeneralSecurityException, CMSException, ImportException {
        List<PrivateKey> privateKeys = new ArrayList<>();
        JcaPEMKeyConverter keyConverter = new JcaPEMKeyConverter();
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.US_ASCII);
             PEMParser pem = new PEMParser(reader)) {
            Object o;
            while ((o = pem.readObject()) != null) {
                switch (o) {
                    case X509CertificateHolder h -> certs.add(certificates.getCertificate(h));
                    case X509CRLHolder h -> crlList.add(crls.getCRL(h));
                    case ContentInfo ci -> readSignedData(new CMSSignedData(ci), certs, crlList);
                    case PEMKeyPair kp -> privateKeys.add(keyConverter.getKeyPair(kp).getPrivate());
                    case PrivateKeyInfo pki -> privateKeys.add(keyConverter.getPrivateKey(pki));
                    case PKCS8EncryptedPrivateKeyInfo enc -> privateKeys.add(decrypt(enc, password, keyConverter));
                    case PEMEncryptedKeyPair enc -> privateKeys.add(decrypt(enc, password, keyConverter));
                    default -> notes.add("skipped a PEM object of type " + o.getClass().getSimpleName());
                }
            }
        } catch (PEMException e) {
            throw new ImportException("damaged PEM data: " + oneLine(e), e);
        }
        for (PrivateKey key : privateKeys) {
            X509Certificate match = certs.stream().filter(c -> matches(key, c.getPublicKey())).findFirst().orElse(null);
            if (match == null) {
                notes.add("skipped a " + key.getAlgorithm() + " private key that matches no certificate in the file");
            } else {
                keys.add(new KeyEntry(key, match, chainFor(match, certs)));
            }
        }
    }

    private PrivateKey decrypt(PKCS8EncryptedPrivateKeyInfo enc, char[] password, JcaPEMKeyConverter converter)
            throws ImportException, PEMException {
        if (password == null) {
            throw new ImportException("the PEM file holds an encrypted private key: give its password");
        }
        try {
            return converter.getPrivateKey(enc.decryptPrivateKeyInfo(
                    new JceOpenSSLPKCS8DecryptorProviderBuilder().build(password)));
        } catch (PKCSException e) {
            throw new WrongPasswordException("wrong password for the encrypted private key in the PEM file", e);
        } catch (OperatorCreationException e) {
            throw new ImportException("unsupported private key encryption: " + oneLine(e), e);
        }
    }

    private PrivateKey decrypt(PEMEncryptedKeyPair enc, char[] password, JcaPEMKeyConverter converter)
            throws ImportException, PEMException {
        if (password == null) {
            throw new ImportException("the PEM file holds an encrypted private key: give its password");
        }
        try {
            return converter.getKeyPair(enc.decryptKeyPair(new JcePEMDecryptorProviderBuilder().build(password)))
                    .getPrivate();
        } catch (EncryptionException e) {
            throw new WrongPasswordException("wrong password for the encrypted private key in the PEM file", e);
        } catch (IOException e) {
            throw new WrongPasswordException("wrong password for the encrypted private key in the PEM file", e);
        }
    }

    /** Whether {@code key} is the private half of {@code publicKey}: sign a probe and verify it. */
    static boolean matches(PrivateKey key, PublicKey publicKey) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            case "DSA" -> "SHA256withDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> null;
        };
        if (algorithm == null || !publicKey.getAlgorithm().equalsIgnoreCase(key.getAlgorithm())
                && !(publicKey.getAlgorithm().startsWith("EC") && key.getAlgorithm().startsWith("EC"))) {
            return false;
        }
        try {
            byte[] probe = "smimegw key match probe".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(publicKey);
            v.update(probe);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /** The issuers of {@code cert} found in {@code pool}, nearest first, stopping at a self-issued one. */
    static List<X509Certificate> chainFor(X509Certificate cert, List<X509Certificate> pool) {
        List<X509Certificate> chain = new ArrayList<>();
        X509Certificate current = cert;
        while (chain.size() < 10 && !current.getSubjectX500Principal().equals(current.getIssuerX500Principal())) {
            X509Certificate c = current;
            X509Certificate issuer = pool.stream()
                    .filter(p -> p != c && p.getSubjectX500Principal().equals(c.getIssuerX500Principal()))
                    .filter(p -> !chain.contains(p))
                    .findFirst().orElse(null);
            if (issuer == null) {
                break;
            }
            chain.add(issuer);
            current = issuer;
        }
        return chain;
    }

    private static void addDistinct(List<X509Certificate> into, List<X509Certificate> add) {
        for (X509Certificate c : add) {
            if (!into.contains(c)) {
                into.add(c);
            }
        }
    }

    private static ASN1Sequence derSequence(byte[] data) {
        try (ASN1InputStream in = new ASN1InputStream(data)) {
            ASN1Primitive p = in.readObject();
            return p instanceof ASN1Sequence s ? s : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static int indexOf(byte[] data, byte[] needle, int limit) {
        int end = Math.min(data.length, limit) - needle.length;
        outer:
        for (int i = 0; i <= end; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.replaceAll("\\s+", " ").trim();
    }
}
