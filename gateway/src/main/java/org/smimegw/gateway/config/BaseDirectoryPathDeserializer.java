package org.smimegw.gateway.config;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

/** Reads a file-system path; a relative one is resolved against the configuration's base directory. */
final class BaseDirectoryPathDeserializer extends StdScalarDeserializer<Path> {
    private final Path baseDirectory;

    BaseDirectoryPathDeserializer(Path baseDirectory) {
        super(Path.class);
        this.baseDirectory = baseDirectory;
    }

    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            return (Path) ctxt.handleUnexpectedToken(Path.class, p);
        }
        String text = p.getText().trim();
        if (text.isEmpty()) {
            return (Path) ctxt.handleWeirdStringValue(Path.class, text, "an empty path");
        }
        try {
            return baseDirectory.resolve(text).normalize();
        } catch (InvalidPathException e) {
            return (Path) ctxt.handleWeirdStringValue(Path.class, text, e.getMessage());
        }
    }
}
