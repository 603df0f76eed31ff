package io.deksdenflow.orchestrator.api.model;

import java.util.List;

/** Every list: {@code {items, next_cursor}}; the cursor is the last item's id, as a string, or null. */
public interface Page<T> {
    List<T> items();

    String nextCursor();
}
