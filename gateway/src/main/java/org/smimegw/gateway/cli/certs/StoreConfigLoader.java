package org.smimegw.gateway.cli.certs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.smimegw.certstore.CertStoreConfig;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Reads just the {@code certstore:} section of the gateway configuration (other sections are ignored), so the
 * {@code certs} commands work before and independently of the full configuration classes.
 */
final class StoreConfigLoader {

    /** The file's shape as far as the certs commands care. */
    record ConfigFile(CertStoreConfig certstore) {
    }

    private final ObjectMapper mapper = JsonMapper.builder(new YAMLFactory())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .build();

    /**
     * @param file     the configuration file
     * @param explicit whether the user named it (then it must exist); the default file may be missing
     */
    CertStoreConfig load(Path file, boolean explicit) {
        if (!Files.exists(file)) {
            if (explicit) {
                throw new CliError("configuration file " + file + " does not exist");
            }
            return CertStoreConfig.defaults();
        }
        try {
            ConfigFile parsed = mapper.readValue(file.toFile(), ConfigFile.class);
            return parsed == null || parsed.certstore() == null ? CertStoreConfig.defaults() : parsed.certstore();
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " line " + e.getLocation().getLineNr();
            throw new CliError(file + where + ": " + e.getOriginalMessage().replaceAll("\\s+", " "), e);
        } catch (IOException e) {
            throw new CliError("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
