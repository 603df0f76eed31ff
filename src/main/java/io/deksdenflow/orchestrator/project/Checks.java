package io.deksdenflow.orchestrator.project;

import io.deksdenflow.orchestrator.common.ValidationException;
import io.deksdenflow.orchestrator.engine.CommandTemplate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Validation of declared checks ({@code checks} of a project or protocol), unit-testable without Spring. */
public final class Checks {
    static final int MAX_CHECKS = 20;
    static final int MAX_TIMEOUT_SECONDS = 24 * 3600;
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._ -]{0,63}$");

    private Checks() {}

    /** null stays null (nothing declared); otherwise every entry valid, or a 422 naming {@code field[i].x}. */
    public static List<Check> require(String field, List<Check.Spec> specs) {
        if (specs == null) return null;
        if (specs.size() > MAX_CHECKS) throw new ValidationException(field, "at most " + MAX_CHECKS + " checks");
        List<Check> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < specs.size(); i++) {
            String at = field + "[" + i + "]";
            Check.Spec s = specs.get(i);
            if (s == null) throw new ValidationException(at, at + " must be an object {name, command, timeout_seconds?}");
            if (s.name() == null || !NAME.matcher(s.name()).matches()) {
                throw new ValidationException(at + ".name", "a check's name is 1 to 64 letters, digits, '.', '_', '-' or spaces");
            }
            if (!names.add(s.name())) throw new ValidationException(at + ".name", "duplicate check name '" + s.name() + "'");
            List<String> argv = argv(at + ".command", s.command());
            int timeout = Check.DEFAULT_TIMEOUT_SECONDS;
            if (s.timeoutSeconds() != null) {
                if (s.timeoutSeconds() < 1 || s.timeoutSeconds() > MAX_TIMEOUT_SECONDS) {
                    throw new ValidationException(at + ".timeout_seconds",
                            "timeout_seconds must be an integer from 1 to " + MAX_TIMEOUT_SECONDS);
                }
                timeout = s.timeoutSeconds();
            }
            out.add(new Check(s.name(), argv, timeout));
        }
        return List.copyOf(out);
    }

    private static List<String> argv(String field, Object command) {
        List<String> argv = new ArrayList<>();
        if (command instanceof String line) {
            if (line.length() > 4096) throw new ValidationException(field, "command is longer than 4096 characters");
            if (line.isBlank()) throw new ValidationException(field, "command names no program");
            try {
                argv.addAll(CommandTemplate.parse(line).words());
            } catch (ValidationException e) {
                throw new ValidationException(field, "command line has an unbalanced quote");
            }
        } else if (command instanceof List<?> list) {
            for (Object o : list) {
                if (!(o instanceof String word)) throw new ValidationException(field, "command must be a list of strings");
                argv.add(word);
            }
        } else {
            throw new ValidationException(field, "command is required: a list of strings (argv) or a command line");
        }
        if (argv.isEmpty() || argv.get(0).isBlank()) throw new ValidationException(field, "command names no program");
        if (argv.size() > 200) throw new ValidationException(field, "command has more than 200 words");
        for (String w : argv) {
            if (w.length() > 4096 || w.indexOf('\0') >= 0) throw new ValidationException(field, "command word too long or contains NUL");
        }
        return List.copyOf(argv);
    }
}
