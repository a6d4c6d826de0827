package org.smimegw.gateway.spool;

import java.nio.file.Path;

/** A message at rest in one spool area: its queue id, envelope, and the file that holds its content. */
public record SpoolEntry(String id, SpoolArea area, Envelope envelope, Path contentFile) {
}
