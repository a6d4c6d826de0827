package org.smimegw.mailets.policy;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;

import org.smimegw.mailets.config.ConfigFileException;

/**
 * Reads policy.yaml into a {@link PolicySet}, or refuses it with a {@link ConfigFileException} naming file, line and
 * reason: YAML that does not parse, an unknown section, setting or value, a setting at a level where it is not
 * allowed, a legacy algorithm without {@code AllowWeakAlgorithms: true}, or an entry whose effective settings
 * contradict each other (checked for every entry in both roles, after inheritance).
 *
 * <p>Parsed with SnakeYAML's node API (the parser under jackson-dataformat-yaml) because errors need line numbers.
 * Stateless; safe to share.
 */
public final class PolicyLoader {

    private static final Logger LOG = LoggerFactory.getLogger(PolicyLoader.class);
    private static final String LABEL = "[a-z0-9]([a-z0-9-]*[a-z0-9])?";
    private static final Pattern DOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")+|" + LABEL);
    private static final Pattern LOCAL_PART = Pattern.compile("[^\\s@<>()\\[\\],;:\"]+");
    private static final int MAX_FILE_CHARS = 4 * 1024 * 1024;

    private final PolicyValidator validator = new PolicyValidator();

    public PolicySet load(Path file) throws ConfigFileException {
        String name = file.toString();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigFileException(name, "cannot read policy file: " + e, e);
        }
        PolicySet set = parse(name, new StringReader(text));
        LOG.info("policy {} loaded: {} domain entries, {} user entries", name, set.domainEntries(), set.userEntries());
        return set;
    }

    /** Parses policy text; {@code fileName} is what errors and origins call the file. */
    public PolicySet parse(String fileName, Reader reader) throws ConfigFileException {
        Node root = compose(fileName, reader);
        Context ctx = new Context(fileName);
        PolicyEntry global = new PolicyEntry(PolicyLevel.GLOBAL, null, 0, Map.of(), Map.of(), Map.of());
        Map<String, PolicyEntry> domains = new LinkedHashMap<>();
        List<PolicyEntry> wildcards = new ArrayList<>();
        Map<String, PolicyEntry> users = new LinkedHashMap<>();
        if (root != null) {
            MappingNode top = mapping(ctx, root, "the policy file");
            Map<String, Integer> seen = new HashMap<>();
            for (NodeTuple t : top.getValue()) {
                String key = key(ctx, t, seen, "section");
                switch (key) {
                    case "global" -> global = entry(ctx, PolicyLevel.GLOBAL, null, t.getKeyNode(), t.getValueNode());
                    case "domains" -> readDomains(ctx, t.getValueNode(), domains, wildcards);
                    case "users" -> readUsers(ctx, t.getValueNode(), users);
                    default -> throw ctx.error(t.getKeyNode(), "unknown section '" + key
                            + "': expected global, domains or users"
                            + (Settings.byNameIgnoringCase(key).isPresent() ? " (settings go under global:)" : ""));
                }
            }
        }
        PolicySet set = new PolicySet(fileName, global, domains, wildcards, users);
        validator.validate(set);
        return set;
    }

    private static Node compose(String fileName, Reader reader) throws ConfigFileException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setCodePointLimit(MAX_FILE_CHARS);
        options.setAllowRecursiveKeys(false);
        try {
            return new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
            String context = e.getContext() != null ? e.getContext() + ": " : "";
            throw new ConfigFileException(fileName, mark == null ? 0 : mark.getLine() + 1,
                    "not valid YAML: " + context + problem, e);
        } catch (YAMLException e) {
            throw new ConfigFileException(fileName, "not valid YAML: " + e.getMessage(), e);
        }
    }

    private static void readDomains(Context ctx, Node node, Map<String, PolicyEntry> domains,
                                    List<PolicyEntry> wildcards) throws ConfigFileException {
        if (isEmpty(node)) {
            return;
        }
        MappingNode map = mapping(ctx, node, "domains:");
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            String name = key(ctx, t, seen, "domain").toLowerCase(java.util.Locale.ROOT);
            boolean wildcard = name.startsWith("*.");
            String bare = wildcard ? name.substring(2) : name;
            if (name.contains("@")) {
                throw ctx.error(t.getKeyNode(), "'" + name + "' is an address: put it under users:");
            }
            if (!DOMAIN.matcher(bare).matches()) {
                throw ctx.error(t.getKeyNode(), "'" + name + "' is not a domain name"
                        + " (write example.com, or *.example.com for its subdomains; global: covers every domain)");
            }
            if (wildcard) {
                wildcards.add(entry(ctx, PolicyLevel.WILDCARD_DOMAIN, name, t.getKeyNode(), t.getValueNode()));
            } else {
                domains.put(name, entry(ctx, PolicyLevel.DOMAIN, name, t.getKeyNode(), t.getValueNode()));
            }
        }
    }

    private static void readUsers(Context ctx, Node node, Map<String, PolicyEntry> users) throws ConfigFileException {
        if (isEmpty(node)) {
            return;
        }
        MappingNode map = mapping(ctx, node, "users:");
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            String address = key(ctx, t, seen, "user").toLowerCase(java.util.Locale.ROOT);
            int at = address.lastIndexOf('@');
            if (at <= 0 || !LOCAL_PART.matcher(address.substring(0, at)).matches()
                    || !DOMAIN.matcher(address.substring(at + 1)).matches()) {
                throw ctx.error(t.getKeyNode(), "'" + address + "' is not an email address (user entries are "
                        + "local@domain; domains go under domains:)");
            }
            users.put(address, entry(ctx, PolicyLevel.USER, address, t.getKeyNode(), t.getValueNode()));
        }
    }

    private static PolicyEntry entry(Context ctx, PolicyLevel level, String name, Node keyNode, Node node)
            throws ConfigFileException {
        int line = keyNode.getStartMark().getLine() + 1;
        Map<Setting<?>, EffectiveSetting<?>> direct = new HashMap<>();
        Map<Setting<?>, EffectiveSetting<?>> sending = new HashMap<>();
        Map<Setting<?>, EffectiveSetting<?>> receiving = new HashMap<>();
        if (!isEmpty(node)) {
            String where = level == PolicyLevel.GLOBAL ? "global:" : name + ":";
            readSettings(ctx, level, name, null, mapping(ctx, node, where), direct, sending, receiving);
        }
        return new PolicyEntry(level, name, line, direct, sending, receiving);
    }

    private static void readSettings(Context ctx, PolicyLevel level, String name, Role block, MappingNode map,
                                     Map<Setting<?>, EffectiveSetting<?>> into,
                                     Map<Setting<?>, EffectiveSetting<?>> sending,
                                     Map<Setting<?>, EffectiveSetting<?>> receiving) throws ConfigFileException {
        Map<String, Integer> seen = new HashMap<>();
        for (NodeTuple t : map.getValue()) {
            String key = key(ctx, t, seen, "setting");
            Role role = key.equals(Role.SENDING.blockName()) ? Role.SENDING
                    : key.equals(Role.RECEIVING.blockName()) ? Role.RECEIVING : null;
            if (role != null) {
                if (block != null) {
                    throw ctx.error(t.getKeyNode(), key + ": cannot be nested inside " + block.blockName() + ":");
                }
                if (!isEmpty(t.getValueNode())) {
                    readSettings(ctx, level, name, role, mapping(ctx, t.getValueNode(), key + ":"),
                            role == Role.SENDING ? sending : receiving, null, null);
                }
                continue;
            }
            Setting<?> setting = Settings.byName(key).orElseThrow(() -> ctx.error(t.getKeyNode(),
                    "unknown setting '" + key + "'" + Settings.byNameIgnoringCase(key)
                            .map(s -> "; did you mean " + s.name() + "?")
                            .orElse(key.equalsIgnoreCase("sending") || key.equalsIgnoreCase("receiving")
                                    ? "; did you mean " + (key.equalsIgnoreCase("sending") ? "Sending" : "Receiving")
                                    + "?" : "")));
            if (setting.globalOnly() && (level != PolicyLevel.GLOBAL || block != null)) {
                throw ctx.error(t.getKeyNode(), setting.name() + " can only be set directly under global:");
            }
            Object value;
            try {
                value = setting.read(t.getValueNode());
            } catch (BadValueException e) {
                throw ctx.error(e.at() != null ? e.at() : t.getValueNode(), e.getMessage());
            }
            int line = t.getKeyNode().getStartMark().getLine() + 1;
            into.put(setting, effective(setting, value,
                    new SettingOrigin(null, level, name, block, ctx.file, line)));
        }
    }

    private static <T> EffectiveSetting<T> effective(Setting<T> setting, Object value, SettingOrigin origin) {
        return new EffectiveSetting<>(setting, setting.cast(value), origin);
    }

    private static String key(Context ctx, NodeTuple t, Map<String, Integer> seen, String what)
            throws ConfigFileException {
        if (!(t.getKeyNode() instanceof ScalarNode s)) {
            throw ctx.error(t.getKeyNode(), "a " + what + " name must be a plain value, not a "
                    + Settings.kind(t.getKeyNode()));
        }
        String key = s.getValue().trim();
        int line = s.getStartMark().getLine() + 1;
        Integer first = seen.putIfAbsent(key.toLowerCase(java.util.Locale.ROOT), line);
        if (first != null) {
            throw ctx.error(s, what + " '" + key + "' appears twice (first at line " + first + ")");
        }
        return key;
    }

    private static MappingNode mapping(Context ctx, Node node, String what) throws ConfigFileException {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw ctx.error(node, what + " must be a mapping of names to values, not a " + Settings.kind(node));
    }

    private static boolean isEmpty(Node node) {
        return node instanceof ScalarNode s && (s.getValue().isEmpty() || "null".equals(s.getTag().getValue())
                || s.getTag().getValue().endsWith(":null"));
    }

    private record Context(String file) {
        ConfigFileException error(Node node, String reason) {
            return new ConfigFileException(file, node.getStartMark().getLine() + 1, reason);
        }
    }
}
