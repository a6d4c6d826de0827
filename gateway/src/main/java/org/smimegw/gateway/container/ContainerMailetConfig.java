package org.smimegw.gateway.container;

import java.util.Iterator;
import java.util.Map;

import org.apache.mailet.MailetConfig;
import org.apache.mailet.MailetContext;

/** A mailet's name and init parameters (the child elements of its {@code <mailet>}), in file order. */
record ContainerMailetConfig(String mailetName, Map<String, String> parameters, MailetContext context)
        implements MailetConfig {

    ContainerMailetConfig {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }

    @Override
    public String getInitParameter(String name) {
        return parameters.get(name);
    }

    @Override
    public Iterator<String> getInitParameterNames() {
        return parameters.keySet().iterator();
    }

    @Override
    public MailetContext getMailetContext() {
        return context;
    }

    @Override
    public String getMailetName() {
        return mailetName;
    }
}
