package org.smimegw.gateway.container;

import java.io.IOException;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.codahale.metrics.MetricRegistry;
import org.apache.mailet.Mail;
import org.apache.mailet.Mailet;
import org.apache.mailet.MailetContext;
import org.apache.mailet.Matcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;

import org.smimegw.mailets.config.ConfigFileException;
import org.smimegw.mailets.crypto.CryptoProviders;
import org.smimegw.mailets.crypto.PrimitiveProviders;

/**
 * Reads a {@code mailetcontainer.xml} in the James format and builds a {@link MailetContainer}: resolves and
 * instantiates mailets and matchers (short names against the project's and James's packages, {@code @Inject}
 * constructors from the {@link ServiceRegistry}), initialises them and checks routing. Anything wrong is a
 * {@link ConfigFileException} naming file, line and reason; mailets already initialised are destroyed.
 */
public final class MailetContainerLoader {
    private static final Logger LOG = LoggerFactory.getLogger(MailetContainerLoader.class);

    /** Packages a short mailet or matcher class name is looked up in, in this order. */
    public static final List<String> SHORT_NAME_PACKAGES = List.of(
            "org.smimegw.mailets",
            "org.smimegw.mailets.matchers",
            "org.smimegw.mailets.policy.enforce",
            "org.smimegw.gateway.mailets",
            "org.smimegw.gateway.matchers",
            "org.apache.james.transport.mailets",
            "org.apache.james.transport.matchers");

    private static final Set<String> INJECT_ANNOTATIONS = Set.of("jakarta.inject.Inject", "javax.inject.Inject");
    private static final Set<String> MAILET_ATTRIBUTES =
            Set.of("match", "notmatch", "class", "onMailetException", "onMatchException");
    private static final Set<String> PROCESSOR_ATTRIBUTES = Set.of("state", "enableJmx", "class");
    /** Top-level elements of James's mailetcontainer.xml configured elsewhere in the gateway. */
    private static final Set<String> IGNORED_TOP_LEVEL = Set.of("context", "spooler");

    private final MailetContext context;
    private final ServiceRegistry services;
    private final MetricRegistry metrics;
    private final ClassLoader classLoader;

    /**
     * @param context  the mailet context given to every mailet and matcher
     * @param services services for {@code @Inject} constructors (the metric registry, the context and the
     *                 {@code auto} {@link PrimitiveProviders} are added where missing)
     * @param metrics  where per-mailet and per-processor timers and exception counters are registered
     */
    public MailetContainerLoader(MailetContext context, ServiceRegistry services, MetricRegistry metrics) {
        this(context, services, metrics, MailetContainerLoader.class.getClassLoader());
    }

    public MailetContainerLoader(MailetContext context, ServiceRegistry services, MetricRegistry metrics,
                                 ClassLoader classLoader) {
        this.context = context;
        ServiceRegistry withBuiltIns = services;
        if (services.find(MetricRegistry.class).isEmpty()) {
            withBuiltIns = withBuiltIns.with(MetricRegistry.class, metrics);
        }
        if (services.find(MailetContext.class).isEmpty()) {
            withBuiltIns = withBuiltIns.with(MailetContext.class, context);
        }
        if (services.find(PrimitiveProviders.class).isEmpty()) {
            withBuiltIns = withBuiltIns.with(PrimitiveProviders.class, PrimitiveProviders.select(CryptoProviders.AUTO));
        }
        this.services = withBuiltIns;
        this.metrics = metrics;
        this.classLoader = classLoader;
    }

    /** Loads and initialises the container described by {@code file}. */
    public MailetContainer load(Path file) throws ConfigFileException {
        String fileName = file.toString();
        Document document;
        try (InputStream in = Files.newInputStream(file)) {
            document = LocatedXml.parse(in, file.toUri().toString());
        } catch (NoSuchFileException e) {
            throw new ConfigFileException(fileName, "file not found");
        } catch (IOException e) {
            throw new ConfigFileException(fileName, "cannot read: " + e.getMessage(), e);
        } catch (LocatedXml.ParseError e) {
            throw new ConfigFileException(fileName, e.line, "not well-formed XML: " + e.getMessage(), e);
        }
        Build build = new Build(file);
        try {
            MailetContainer container = build.container(document.getDocumentElement());
            LOG.info("loaded mailet container {}: processors {}", file, container.processorNames());
            return container;
        } catch (ConfigFileException e) {
            build.destroyAll();
            throw e;
        } catch (RuntimeException | LinkageError e) {
            build.destroyAll();
            throw new ConfigFileException(fileName, "cannot load: " + e, e);
        }
    }

    /** The state of one load: what was created so far, so a failed load can destroy it. */
    private final class Build {
        private final Path file;
        private final List<Mailet> mailets = new ArrayList<>();
        private final List<Matcher> matchers = new ArrayList<>();
        private final Map<String, Matcher> globalComposites = new HashMap<>();
        private final PipelineMetrics pipelineMetrics = new PipelineMetrics(metrics);

        Build(Path file) {
            this.file = file;
        }

        private ConfigFileException error(Node node, String reason) {
            return new ConfigFileException(file.toString(), node == null ? 0 : LocatedXml.line(node), reason);
        }

        private ConfigFileException error(Node node, String reason, Throwable cause) {
            return new ConfigFileException(file.toString(), node == null ? 0 : LocatedXml.line(node), reason,
                    cause);
        }

        void destroyAll() {
            new MailetContainer(file, Map.of(), mailets, matchers, Set.of()).destroy();
        }

        MailetContainer container(Element root) throws ConfigFileException {
            if (!"mailetcontainer".equals(root.getTagName())) {
                throw error(root, "root element must be <mailetcontainer>, found <" + root.getTagName() + ">");
            }
            Element processorsElement = null;
            for (Element child : children(root)) {
                switch (child.getTagName()) {
                    case "processors" -> {
                        if (processorsElement != null) {
                            throw error(child, "<processors> given twice");
                        }
                        processorsElement = child;
                    }
                    case "matchers" -> {
                        for (Element definition : children(child)) {
                            defineComposite(definition, globalComposites, Map.of());
                        }
                    }
                    default -> {
                        if (!IGNORED_TOP_LEVEL.contains(child.getTagName())) {
                            throw error(child, "unknown element <" + child.getTagName()
                                    + "> in <mailetcontainer>; expected <processors> or <matchers>");
                        }
                        LOG.info("{}:{}: <{}> is ignored; the gateway configures it in gateway.yaml", file,
                                LocatedXml.line(child), child.getTagName());
                    }
                }
            }
            if (processorsElement == null) {
                throw error(root, "no <processors> element");
            }
            Map<String, Element> processorElements = new LinkedHashMap<>();
            for (Element element : children(processorsElement)) {
                if (!"processor".equals(element.getTagName())) {
                    throw error(element, "unknown element <" + element.getTagName()
                            + "> in <processors>; expected <processor state=\"...\">");
                }
                checkAttributes(element, PROCESSOR_ATTRIBUTES);
                String state = element.getAttribute("state").trim();
                if (state.isEmpty()) {
                    throw error(element, "<processor> without a state attribute");
                }
                if (Mail.GHOST.equals(state)) {
                    throw error(element, "'ghost' is reserved (it means: stop processing); name the processor "
                            + "differently");
                }
                if (processorElements.containsKey(state)) {
                    throw error(element, "processor '" + state + "' defined twice (first at line "
                            + LocatedXml.line(processorElements.get(state)) + ")");
                }
                processorElements.put(state, element);
            }
            if (!processorElements.containsKey(Mail.DEFAULT)) {
                throw error(processorsElement, "no processor with state=\"root\"; every mail starts there");
            }
            Map<String, MailetProcessor> processors = new LinkedHashMap<>();
            List<RouteCheck> routes = new ArrayList<>();
            for (Map.Entry<String, Element> e : processorElements.entrySet()) {
                processors.put(e.getKey(), processor(e.getKey(), e.getValue(), routes));
            }
            for (RouteCheck route : routes) {
                if (!Mail.GHOST.equals(route.target) && !processors.containsKey(route.target)) {
                    throw error(route.node, route.what + " routes to processor '" + route.target
                            + "', which is not defined (processors: " + processors.keySet() + ")");
                }
            }
            return new MailetContainer(file, processors, mailets, matchers, pipelineMetrics.names());
        }

        private MailetProcessor processor(String state, Element element, List<RouteCheck> routes)
                throws ConfigFileException {
            Map<String, Matcher> localComposites = new HashMap<>();
            List<MailetStep> steps = new ArrayList<>();
            for (Element child : children(element)) {
                switch (child.getTagName()) {
                    case "matcher" -> defineComposite(child, localComposites, globalComposites);
                    case "mailet" -> steps.add(step(state, steps.size() + 1, child, localComposites, routes));
                    default -> throw error(child, "unknown element <" + child.getTagName() + "> in processor '"
                            + state + "'; expected <mailet> or <matcher>");
                }
            }
            return new MailetProcessor(state, steps, pipelineMetrics.processor(state));
        }

        private MailetStep step(String processor, int index, Element element, Map<String, Matcher> localComposites,
                                List<RouteCheck> routes) throws ConfigFileException {
            checkAttributes(element, MAILET_ATTRIBUTES);
            String className = element.getAttribute("class").trim();
            if (className.isEmpty()) {
                throw error(element, "<mailet> without a class attribute");
            }
            boolean hasMatch = element.hasAttribute("match");
            boolean hasNotMatch = element.hasAttribute("notmatch");
            if (hasMatch && hasNotMatch) {
                throw error(element, "<mailet> has both match and notmatch; use one");
            }
            String matchSpec = hasMatch ? element.getAttribute("match").trim()
                    : hasNotMatch ? element.getAttribute("notmatch").trim() : "All";
            if (matchSpec.isEmpty()) {
                throw error(element, "empty " + (hasNotMatch ? "notmatch" : "match") + " attribute");
            }
            ExceptionPolicy onMailet = ExceptionPolicy.parse(element.getAttribute("onMailetException"), false);
            ExceptionPolicy onMatch = ExceptionPolicy.parse(element.getAttribute("onMatchException"), true);
            if (onMailet == null) {
                throw error(element, "onMailetException=\"" + element.getAttribute("onMailetException")
                        + "\" is for matchers; use error, ignore, propagate or a processor name");
            }
            if (onMailet.kind() == ExceptionPolicy.Kind.PROCESSOR) {
                routes.add(new RouteCheck(element, "onMailetException of " + className, onMailet.processor()));
            }
            if (onMatch.kind() == ExceptionPolicy.Kind.PROCESSOR) {
                routes.add(new RouteCheck(element, "onMatchException of " + className, onMatch.processor()));
            }

            Matcher matcher = matcherFor(element, matchSpec, localComposites);
            if (hasNotMatch) {
                CompositeMatcher inverted = new CompositeMatcher(CompositeMatcher.Operator.NOT, List.of(matcher));
                inverted.init(new ContainerMatcherConfig("Not", null, context));
                matcher = inverted;
            }

            Map<String, String> parameters = parameters(element);
            Class<? extends Mailet> mailetClass = resolve(element, className, Mailet.class, "mailet");
            for (Map.Entry<String, String> p : parameters.entrySet()) {
                if (p.getKey().equals("processor") || p.getKey().endsWith("Processor")) {
                    routes.add(new RouteCheck(element, "parameter <" + p.getKey() + "> of " + className,
                            p.getValue().trim()));
                }
            }
            Mailet mailet = instantiate(element, mailetClass, "mailet");
            checkDeclaredParameters(element, mailet, parameters.keySet());
            String mailetName = mailetClass.getSimpleName();
            try {
                mailet.init(new ContainerMailetConfig(mailetName, parameters, context));
            } catch (Exception | LinkageError e) {
                throw error(element, "init of mailet " + mailetClass.getName() + " failed: " + describe(e), e);
            } finally {
                mailets.add(mailet);
            }
            return new MailetStep(index, (hasNotMatch ? "!" : "") + matchSpec + " -> " + mailetName,
                    LocatedXml.line(element), matcher, mailet, onMatch, onMailet,
                    pipelineMetrics.mailet(processor, mailetName),
                    pipelineMetrics.mailetExceptions(processor, mailetName),
                    pipelineMetrics.matcherExceptions(processor, matcherMetricName(matchSpec)),
                    new MailetOutline(processor, index, (hasNotMatch ? "!" : "") + matchSpec, mailetClass.getName(),
                            parameters, LocatedXml.line(element), MetricRegistry.name("mailet", processor, mailetName)));
        }

        private String matcherMetricName(String spec) {
            String name = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : spec;
            return name.substring(name.lastIndexOf('.') + 1);
        }

        /** A {@code <matcher name="x" match="Or">children</matcher>} definition, registered under its name. */
        private void defineComposite(Element element, Map<String, Matcher> into, Map<String, Matcher> outer)
                throws ConfigFileException {
            if (!"matcher".equals(element.getTagName())) {
                throw error(element, "unknown element <" + element.getTagName() + ">; expected <matcher name=...>");
            }
            String name = element.getAttribute("name").trim();
            if (name.isEmpty()) {
                throw error(element, "a composite <matcher> definition needs a name attribute");
            }
            if (into.containsKey(name) || outer.containsKey(name)) {
                throw error(element, "matcher '" + name + "' defined twice");
            }
            Map<String, Matcher> scope = new HashMap<>(outer);
            scope.putAll(into);
            into.put(name, composite(element, scope));
        }

        private Matcher composite(Element element, Map<String, Matcher> scope) throws ConfigFileException {
            for (String attribute : attributeNames(element)) {
                if (!attribute.equals("name") && !attribute.equals("match")) {
                    throw error(element, "unknown attribute '" + attribute + "' on <matcher>");
                }
            }
            String match = element.getAttribute("match").trim();
            List<Element> childElements = children(element);
            if (childElements.isEmpty()) {
                if (match.isEmpty()) {
                    throw error(element, "<matcher> without a match attribute");
                }
                return matcher(element, match, scope);
            }
            CompositeMatcher.Operator operator = CompositeMatcher.Operator.parse(match).orElseThrow(() ->
                    error(element, "<matcher match=\"" + match + "\"> has child matchers, so match must be one of"
                            + " And, Or, Not, Xor"));
            List<Matcher> parts = new ArrayList<>();
            for (Element child : childElements) {
                if (!"matcher".equals(child.getTagName())) {
                    throw error(child, "unknown element <" + child.getTagName() + "> in a composite matcher");
                }
                parts.add(composite(child, scope));
            }
            CompositeMatcher composite = new CompositeMatcher(operator, parts);
            String name = element.getAttribute("name");
            composite.init(new ContainerMatcherConfig(name.isEmpty() ? operator.displayName() : name, null,
                    context));
            return composite;
        }

        private Matcher matcherFor(Element element, String spec, Map<String, Matcher> localComposites)
                throws ConfigFileException {
            Map<String, Matcher> scope = new HashMap<>(globalComposites);
            scope.putAll(localComposites);
            return matcher(element, spec, scope);
        }

        /** A matcher from "Name=condition": a named composite in scope, else a matcher class. */
        private Matcher matcher(Element element, String spec, Map<String, Matcher> scope)
                throws ConfigFileException {
            int eq = spec.indexOf('=');
            String name = (eq < 0 ? spec : spec.substring(0, eq)).trim();
            String condition = eq < 0 ? null : spec.substring(eq + 1);
            Matcher named = scope.get(name);
            if (named != null) {
                if (condition != null) {
                    throw error(element, "matcher '" + name + "' is a composite definition and takes no condition");
                }
                return named;
            }
            if (CompositeMatcher.Operator.parse(name).isPresent()) {
                throw error(element, "composite matcher " + name + " needs child matchers: define it with "
                        + "<matcher name=\"...\" match=\"" + name + "\"> and refer to it by name");
            }
            Class<? extends Matcher> matcherClass = resolve(element, name, Matcher.class, "matcher");
            Matcher matcher = instantiate(element, matcherClass, "matcher");
            try {
                matcher.init(new ContainerMatcherConfig(matcherClass.getSimpleName(), condition, context));
            } catch (Exception | LinkageError e) {
                throw error(element, "init of matcher " + matcherClass.getName()
                        + (condition == null ? "" : " with condition '" + condition + "'") + " failed: "
                        + describe(e), e);
            } finally {
                matchers.add(matcher);
            }
            return matcher;
        }

        private <T> Class<? extends T> resolve(Element element, String name, Class<T> kind, String what)
                throws ConfigFileException {
            List<String> candidates = name.contains(".") ? List.of(name)
                    : SHORT_NAME_PACKAGES.stream().map(p -> p + "." + name).toList();
            Class<?> wrongKind = null;
            for (String candidate : candidates) {
                Class<?> found;
                try {
                    found = Class.forName(candidate, false, classLoader);
                } catch (ClassNotFoundException e) {
                    continue;
                } catch (LinkageError e) {
                    throw error(element, "cannot load " + what + " class " + candidate + ": " + e, e);
                }
                if (kind.isAssignableFrom(found)) {
                    return found.asSubclass(kind);
                }
                if (wrongKind == null) {
                    wrongKind = found;
                }
            }
            if (wrongKind != null) {
                throw error(element, "class " + wrongKind.getName() + " is not a " + kind.getName());
            }
            throw error(element, "unknown " + what + " class '" + name + "'" + (name.contains(".") ? ""
                    : " (looked in " + String.join(", ", SHORT_NAME_PACKAGES) + ")"));
        }

        private <T> T instantiate(Element element, Class<? extends T> type, String what)
                throws ConfigFileException {
            if (Modifier.isAbstract(type.getModifiers()) || type.isInterface()) {
                throw error(element, what + " class " + type.getName() + " is abstract");
            }
            Constructor<?> injectable = null;
            for (Constructor<?> constructor : type.getConstructors()) {
                if (isInject(constructor)) {
                    injectable = constructor;
                    break;
                }
            }
            Object[] arguments;
            Constructor<?> chosen;
            if (injectable != null) {
                chosen = injectable;
                Class<?>[] types = injectable.getParameterTypes();
                arguments = new Object[types.length];
                for (int i = 0; i < types.length; i++) {
                    Optional<?> service = services.find(types[i]);
                    if (service.isEmpty()) {
                        throw error(element, "@Inject constructor of " + type.getName() + " needs a "
                                + types[i].getName() + ", which the gateway does not provide");
                    }
                    arguments[i] = service.get();
                }
            } else {
                try {
                    chosen = type.getConstructor();
                } catch (NoSuchMethodException e) {
                    throw error(element, what + " class " + type.getName()
                            + " has neither a public no-argument constructor nor a public @Inject constructor");
                }
                arguments = new Object[0];
            }
            try {
                return type.cast(chosen.newInstance(arguments));
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw error(element, "cannot create " + what + " " + type.getName() + ": " + describe(cause), cause);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                throw error(element, "cannot create " + what + " " + type.getName() + ": " + describe(e), e);
            }
        }

        private boolean isInject(Constructor<?> constructor) {
            for (Annotation annotation : constructor.getAnnotations()) {
                if (INJECT_ANNOTATIONS.contains(annotation.annotationType().getName())) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Refuses parameters a mailet does not declare, for mailets that declare them with a
         * {@code getAllowedInitParameters()} method (James's redirect/notify mailets and the project's own).
         */
        private void checkDeclaredParameters(Element element, Mailet mailet, Set<String> given)
                throws ConfigFileException {
            Optional<Set<String>> allowed = declaredParameters(mailet);
            if (allowed.isEmpty()) {
                return;
            }
            Set<String> unknown = new TreeSet<>(given);
            unknown.removeAll(allowed.get());
            if (!unknown.isEmpty()) {
                throw error(element, "unknown parameter(s) " + unknown + " for mailet " + mailet.getClass().getName()
                        + "; allowed: " + new TreeSet<>(allowed.get()));
            }
        }

        private Optional<Set<String>> declaredParameters(Mailet mailet) throws ConfigFileException {
            for (Class<?> c = mailet.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
                Method method;
                try {
                    method = c.getDeclaredMethod("getAllowedInitParameters");
                } catch (NoSuchMethodException e) {
                    continue;
                }
                if (Modifier.isAbstract(method.getModifiers())) {
                    continue;
                }
                try {
                    method.setAccessible(true);
                    Object value = method.invoke(mailet);
                    if (value instanceof Collection<?> collection) {
                        Set<String> names = new LinkedHashSet<>();
                        collection.forEach(o -> names.add(String.valueOf(o)));
                        return Optional.of(names);
                    }
                    if (value instanceof String[] array) {
                        return Optional.of(new LinkedHashSet<>(Arrays.asList(array)));
                    }
                    return Optional.empty();
                } catch (ReflectiveOperationException | RuntimeException e) {
                    LOG.debug("cannot ask {} for its parameters: {}", mailet.getClass().getName(), e.toString());
                    return Optional.empty();
                }
            }
            return Optional.empty();
        }

        private void checkAttributes(Element element, Set<String> allowed) throws ConfigFileException {
            for (String attribute : attributeNames(element)) {
                if (!allowed.contains(attribute)) {
                    throw error(element, "unknown attribute '" + attribute + "' on <" + element.getTagName()
                            + ">; allowed: " + new TreeSet<>(allowed));
                }
            }
        }

        /** Child elements as init parameters, in order; a repeated name joins its values with ','. */
        private Map<String, String> parameters(Element element) {
            Map<String, String> parameters = new LinkedHashMap<>();
            for (Element child : children(element)) {
                String value = child.getTextContent().trim();
                parameters.merge(child.getTagName(), value, (a, b) -> a + "," + b);
            }
            return parameters;
        }
    }

    private record RouteCheck(Node node, String what, String target) {
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getName() : message;
    }

    private static List<Element> children(Element element) {
        List<Element> result = new ArrayList<>();
        for (Node n = element.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                result.add(child);
            }
        }
        return result;
    }

    private static List<String> attributeNames(Element element) {
        NamedNodeMap attributes = element.getAttributes();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < attributes.getLength(); i++) {
            names.add(attributes.item(i).getNodeName());
        }
        return names;
    }
}
