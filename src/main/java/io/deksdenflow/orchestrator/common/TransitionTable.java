package io.deksdenflow.orchestrator.common;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One state machine as data: for each status, the actions allowed from it and the status each
 * leads to. Every status change of an entity goes through {@link #next}; the stores then apply it
 * as a compare-and-set in SQL. A {@code null} target means "decided by the entity" (used only by
 * resume, which returns to the status the pause interrupted).
 */
public final class TransitionTable<S extends Enum<S>, A extends Enum<A>> {
    private final String entity;
    private final Class<S> statusType;
    private final Class<A> actionType;
    private final Map<S, Map<A, S>> table;

    private TransitionTable(String entity, Class<S> statusType, Class<A> actionType, Map<S, Map<A, S>> table) {
        this.entity = entity;
        this.statusType = statusType;
        this.actionType = actionType;
        this.table = table;
    }

    public static <S extends Enum<S>, A extends Enum<A>> Builder<S, A> of(String entity, Class<S> s, Class<A> a) {
        return new Builder<>(entity, s, a);
    }

    public boolean allows(S from, A action) {
        return table.getOrDefault(from, Map.of()).containsKey(action);
    }

    /** The status {@code action} leads to from {@code from}, or an {@link IllegalTransitionException}. */
    public S next(S from, A action, Predicate<A> userFacing) {
        Map<A, S> row = table.getOrDefault(from, Map.of());
        if (!row.containsKey(action)) {
            throw new IllegalTransitionException(entity, lower(from), lower(action), names(allowed(from, userFacing)));
        }
        return row.get(action);
    }

    public List<A> allowed(S from, Predicate<A> userFacing) {
        List<A> out = new ArrayList<>();
        for (A a : table.getOrDefault(from, Map.of()).keySet()) {
            if (userFacing.test(a)) out.add(a);
        }
        return out;
    }

    public static List<String> names(List<? extends Enum<?>> values) {
        List<String> out = new ArrayList<>(values.size());
        for (Enum<?> v : values) out.add(lower(v));
        return out;
    }

    public static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    public Class<S> statusType() { return statusType; }

    public Class<A> actionType() { return actionType; }

    public static final class Builder<S extends Enum<S>, A extends Enum<A>> {
        private final String entity;
        private final Class<S> s;
        private final Class<A> a;
        private final Map<S, Map<A, S>> table;

        private Builder(String entity, Class<S> s, Class<A> a) {
            this.entity = entity;
            this.s = s;
            this.a = a;
            this.table = new EnumMap<>(s);
        }

        public Builder<S, A> on(S from, A action, S to) {
            table.computeIfAbsent(from, k -> new EnumMap<>(a)).put(action, to);
            return this;
        }

        public TransitionTable<S, A> build() {
            Map<S, Map<A, S>> frozen = new EnumMap<>(s);
            table.forEach((k, v) -> frozen.put(k, Collections.unmodifiableMap(v)));
            return new TransitionTable<>(entity, s, a, Collections.unmodifiableMap(frozen));
        }
    }
}
