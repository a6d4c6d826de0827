package org.smimegw.gateway.container;

import java.util.Map;

/**
 * One {@code <mailet>} of a loaded container as an administrator reads it (the console's pipeline page).
 *
 * @param processor  the processor (state) it belongs to
 * @param index      1-based position in the processor
 * @param matcher    the match specification as written ({@code !} in front for {@code notmatch})
 * @param mailet     the mailet's class name as resolved
 * @param parameters its init parameters, in file order
 * @param line       line of the {@code <mailet>} element in the file
 * @param metricName name of its timer in the metric registry ({@code .exceptions} is its exception counter); entries
 *                   of the same class in one processor share it
 */
public record MailetOutline(String processor, int index, String matcher, String mailet,
                            Map<String, String> parameters, int line, String metricName) {
    public MailetOutline {
        parameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(parameters));
    }
}
