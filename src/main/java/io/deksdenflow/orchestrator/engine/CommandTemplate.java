package io.deksdenflow.orchestrator.engine;

import io.deksdenflow.orchestrator.common.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A command line from configuration, split like a POSIX shell would split words (single quotes,
 * double quotes, backslash) but never run by one. Placeholders are substituted inside each word
 * after splitting, so a value (a path, a model name) can never add or split arguments.
 */
public final class CommandTemplate {
    private final List<String> words;

    private CommandTemplate(List<String> words) { this.words = words; }

    public static CommandTemplate parse(String template) {
        if (template == null || template.isBlank()) {
            throw new ValidationException("engine_command", "DEKSDENFLOW_ENGINE_COMMAND is empty");
        }
        List<String> words = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (quote == '\'') {
                if (c == '\'') quote = 0; else cur.append(c);
            } else if (quote == '"') {
                if (c == '"') quote = 0;
                else if (c == '\\' && i + 1 < template.length() && "\"\\$`".indexOf(template.charAt(i + 1)) >= 0) cur.append(template.charAt(++i));
                else cur.append(c);
            } else if (Character.isWhitespace(c)) {
                if (inWord) { words.add(cur.toString()); cur.setLength(0); inWord = false; }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') quote = c;
                else if (c == '\\' && i + 1 < template.length()) cur.append(template.charAt(++i));
                else cur.append(c);
            }
        }
        if (quote != 0) throw new ValidationException("engine_command", "unbalanced " + quote + " in DEKSDENFLOW_ENGINE_COMMAND");
        if (inWord) words.add(cur.toString());
        return new CommandTemplate(List.copyOf(words));
    }

    public List<String> words() { return words; }

    /** Substitutes {@code {key}} in every word, in one pass (a value is never expanded again). */
    public List<String> render(Map<String, String> values) {
        List<String> out = new ArrayList<>(words.size());
        for (String w : words) out.add(substitute(w, values));
        return out;
    }

    static String substitute(String word, Map<String, String> values) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            int open = word.indexOf('{', i);
            int close = open < 0 ? -1 : word.indexOf('}', open);
            if (open < 0 || close < 0) { sb.append(word, i, word.length()); break; }
            String key = word.substring(open + 1, close);
            sb.append(word, i, open);
            if (values.containsKey(key)) sb.append(values.get(key));
            else sb.append(word, open, close + 1);
            i = close + 1;
        }
        return sb.toString();
    }
}
