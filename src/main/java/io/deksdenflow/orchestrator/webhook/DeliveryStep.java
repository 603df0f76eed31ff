package io.deksdenflow.orchestrator.webhook;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.camel.Exchange;

/**
 * The step of {@code webhook-<forge>} that hands a translated delivery (an issue event, a comment) to the bean that
 * applies it, within the delivery's project scope, and answers {@code 202} with what it did.
 */
final class DeliveryStep {
    private DeliveryStep() {}

    /** Applies the exchange's translated {@code type} body with {@code apply(body, scope)}; answers 202. */
    static <T> Map<String, Object> accept(Exchange exchange, Class<T> type,
                                          BiFunction<T, Set<Long>, Map<String, Object>> apply) {
        Optional<?> translated = exchange.getMessage().getBody(Optional.class);
        T body = type.cast(translated.orElseThrow());
        @SuppressWarnings("unchecked")
        Set<Long> scope = exchange.getProperty(WebhookEndpoints.SCOPE_PROPERTY, Set.class);
        Map<String, Object> result = apply.apply(body, scope);
        exchange.setProperty(CiStatusApi.OUTCOME_PROPERTY, result.get("status"));
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 202);
        return result;
    }
}
