package io.deksdenflow.orchestrator.common;

import java.util.function.Supplier;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Runs a unit of work in one transaction, re-running it from a fresh read when a compare-and-set
 * lost against a concurrent writer.
 */
@Component
public class Transactions {
    private static final int ATTEMPTS = 20;
    private final TransactionTemplate tx;

    public Transactions(TransactionTemplate tx) {
        this.tx = tx;
    }

    public <T> T inTx(Supplier<T> work) {
        ConcurrentUpdateException last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                return tx.execute(s -> work.get());
            } catch (ConcurrentUpdateException e) {
                last = e;
                Thread.onSpinWait();
            }
        }
        throw new ConflictException(last.getMessage() + " too often; try again");
    }
}
