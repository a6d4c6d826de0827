package org.smimegw.mailets.policy;

/**
 * A sender's and a recipient's policies that cannot both be met (e.g. their encryption algorithm lists have nothing
 * in common). Each side is consistent on its own (the loader checks that); only the pair is not. A decision that
 * needs the setting refuses with 5.7.1 and this reason.
 */
public record PolicyConflict(Setting<?> setting, String reason) {
}
