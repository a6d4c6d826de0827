package org.smimegw.mailets.policy;

import org.yaml.snakeyaml.nodes.Node;

/** A value in policy.yaml that cannot be read; {@code at} is the node to blame (null: the setting's own node). */
final class BadValueException extends Exception {
    private final transient Node at;

    BadValueException(String reason, Node at) {
        super(reason, null, false, false);
        this.at = at;
    }

    BadValueException(String reason) {
        this(reason, null);
    }

    Node at() {
        return at;
    }
}
