package org.smimegw.it;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The marked examples of README.md, in order. A fenced block is marked by words after its language:
 * <ul>
 * <li>{@code ```sh readme-test} — commands a reader runs in a shell (in the installation's directory); the test runs
 * them with bash and expects exit status 0;</li>
 * <li>{@code ```sh readme-test background} — a command that keeps running (the gateway, "in a second terminal");</li>
 * <li>{@code ```text readme-output} — right after a command block: lines its output shows, in this order ({@code …}
 * stands for anything); for a background command, what it prints once it is up;</li>
 * <li>{@code ```text readme-log} — lines the background command's output (the gateway's log) shows by then;</li>
 * <li>{@code ```sh readme-skip} — commands the test cannot run here (building, installing a package); the text says
 * so.</li>
 * </ul>
 * Every {@code sh}/{@code bash}/{@code console} block must carry one of these, so that no example escapes the test.
 */
record ReadmeExamples(List<Example> examples, int skipped) {

    enum Kind { COMMAND, BACKGROUND, LOG }

    /** A command block (or a log expectation) with the output lines the README shows for it (maybe none). */
    record Example(Kind kind, int line, String script, List<String> expected) {
        Example withExpected(List<String> lines) {
            return new Example(kind, line, script, lines);
        }

        @Override
        public String toString() {
            return "README.md:" + line + (kind == Kind.LOG ? " (log)" : "") + "\n" + script;
        }
    }

    private static final Pattern FENCE = Pattern.compile("^```\\s*(\\S*)\\s*(.*)$");

    static ReadmeExamples parse(String readme) {
        String[] lines = readme.split("\n", -1);
        List<Example> examples = new ArrayList<>();
        int skipped = 0;
        boolean previousWasCommand = false;
        for (int i = 0; i < lines.length; i++) {
            Matcher open = FENCE.matcher(lines[i]);
            if (!open.matches()) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < lines.length && !lines[end].startsWith("```")) {
                end++;
            }
            if (end == lines.length) {
                throw new IllegalArgumentException("README.md:" + (i + 1) + ": fenced block not closed");
            }
            List<String> body = List.of(lines).subList(start, end);
            String language = open.group(1);
            List<String> marks = List.of(open.group(2).split("\\s+"));
            int lineNumber = i + 1;
            i = end;
            if (marks.contains("readme-test")) {
                Kind kind = marks.contains("background") ? Kind.BACKGROUND : Kind.COMMAND;
                examples.add(new Example(kind, lineNumber, String.join("\n", body), List.of()));
                previousWasCommand = true;
                continue;
            }
            if (marks.contains("readme-output")) {
                if (!previousWasCommand) {
                    throw new IllegalArgumentException("README.md:" + lineNumber
                            + ": readme-output must follow a readme-test block");
                }
                int last = examples.size() - 1;
                examples.set(last, examples.get(last).withExpected(expectedLines(body)));
            } else if (marks.contains("readme-log")) {
                examples.add(new Example(Kind.LOG, lineNumber, "", expectedLines(body)));
            } else if (marks.contains("readme-skip")) {
                skipped++;
            } else if (List.of("sh", "bash", "shell", "console").contains(language)) {
                throw new IllegalArgumentException("README.md:" + lineNumber + ": a ```" + language
                        + " block without readme-test or readme-skip: mark it, so that the README test runs it or "
                        + "knowingly leaves it out");
            }
            previousWasCommand = false;
        }
        return new ReadmeExamples(List.copyOf(examples), skipped);
    }

    private static List<String> expectedLines(List<String> body) {
        return body.stream().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    /**
     * Where {@code expected} (lines with {@code …} for anything) fails to appear in {@code output} in order: the
     * first line not found, or null when all are there.
     */
    static String firstMissing(List<String> expected, String output) {
        List<String> actual = output.lines().map(String::stripTrailing).toList();
        int at = 0;
        for (String line : expected) {
            Pattern pattern = pattern(line);
            while (at < actual.size() && !pattern.matcher(actual.get(at)).matches()) {
                at++;
            }
            if (at == actual.size()) {
                return line;
            }
            at++;
        }
        return null;
    }

    private static Pattern pattern(String expectedLine) {
        StringBuilder regex = new StringBuilder();
        String[] parts = expectedLine.split("…", -1);
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString());
    }
}
