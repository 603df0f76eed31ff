package io.deksdenflow.orchestrator.store;

import java.util.List;

/** A keyset page: the rows and the cursor for the next page (null when this was the last). */
public record Page<T>(List<T> items, Long nextCursor) {

    public static <T> Page<T> of(List<T> rows, int limit, java.util.function.ToLongFunction<T> id) {
        if (rows.size() > limit) {
            List<T> items = rows.subList(0, limit);
            return new Page<>(List.copyOf(items), id.applyAsLong(items.get(items.size() - 1)));
        }
        return new Page<>(List.copyOf(rows), null);
    }

    public <R> Page<R> map(java.util.function.Function<T, R> f) {
        return new Page<>(items.stream().map(f).toList(), nextCursor);
    }
}
