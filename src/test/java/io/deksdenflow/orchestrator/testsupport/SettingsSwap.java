package io.deksdenflow.orchestrator.testsupport;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationContext;
import org.springframework.test.util.AopTestUtils;

/**
 * Changes one settings record of a running test context: every service bean that holds the record in a
 * field gets {@code value} instead (records are immutable; the beans read them on each use). Undo it with
 * {@link #reset} (e.g. in a finally block or {@code @AfterEach}), as the context is shared with other tests.
 */
public final class SettingsSwap {
    private static final Map<String, Object> CURRENT = new ConcurrentHashMap<>();

    private SettingsSwap() {}

    /** The record the context's beans hold now. */
    @SuppressWarnings("unchecked")
    public static <T> T current(ApplicationContext context, Class<T> type) {
        return (T) CURRENT.getOrDefault(key(context, type), context.getBean(type));
    }

    public static <T> void set(ApplicationContext context, Class<T> type, T value) {
        T current = current(context, type);
        for (String name : context.getBeanDefinitionNames()) {
            Object bean;
            try {
                bean = AopTestUtils.getUltimateTargetObject(context.getBean(name));
            } catch (RuntimeException e) {
                continue; // a bean this context cannot make here
            }
            if (bean == null || !bean.getClass().getName().startsWith("io.deksdenflow.")) continue;
            replace(bean, current, value);
        }
        CURRENT.put(key(context, type), value);
    }

    /** Back to the record the context was started with. */
    public static <T> void reset(ApplicationContext context, Class<T> type) {
        set(context, type, context.getBean(type));
        CURRENT.remove(key(context, type));
    }

    private static void replace(Object bean, Object current, Object value) {
        for (Class<?> c = bean.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !f.getType().isInstance(current)) continue;
                try {
                    f.setAccessible(true);
                    if (f.get(bean) == current) f.set(bean, value);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    throw new IllegalStateException("cannot swap " + f, e);
                }
            }
        }
    }

    private static String key(ApplicationContext context, Class<?> type) {
        return context.getId() + "@" + System.identityHashCode(context) + "/" + type.getName();
    }
}
