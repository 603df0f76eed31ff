package io.deksdenflow.orchestrator.git;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

/** Removes secret values and URL userinfo ({@code https://user:pass@host}) from text. */
public final class Redactor {
    static final String MASK = "***";
    private static final Pattern USERINFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://)[^/@\\s]+@");
    private final List<String> secrets;

    public Redactor(Collection<String> secrets) {
        // Longest first so a secret containing another is masked whole; tiny values would mask noise.
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4)
                .sorted((a, b) -> b.length() - a.length()).distinct().toList();
    }

    public String redact(String text) {
        if (text == null) return null;
        String out = text;
        for (String s : secrets) out = out.replace(s, MASK);
        return USERINFO.matcher(out).replaceAll("$1" + MASK + "@");
    }
}
