package io.deksdenflow.orchestrator.testsupport;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;

/**
 * A test class that starts the whole service (on a port, or a Spring application with its embedded Redis), a
 * child JVM or the real agent CLIs: JUnit tag
 * {@value #TAG}. {@code mvn -B test} runs every test; {@code mvn -B test -Pfast} leaves these out (the unit and
 * route tests alone, in under a minute). {@link Inherited}: on a base class it covers every subclass.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@Tag(SlowTest.TAG)
public @interface SlowTest {
    String TAG = "slow";
}
