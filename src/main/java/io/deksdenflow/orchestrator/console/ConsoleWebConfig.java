package io.deksdenflow.orchestrator.console;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web console: static files under {@code classpath:/static/console/} served at
 * {@code /console/}. {@code /console} and {@code /console/} serve {@code index.html}; every
 * {@code /console/**} response carries a strict Content-Security-Policy (no inline script or
 * style, same-origin only) and {@code X-Content-Type-Options: nosniff}.
 */
@Configuration(proxyBeanMethods = false)
class ConsoleWebConfig implements WebMvcConfigurer {

    public static final String CONTENT_SECURITY_POLICY =
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                    + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addViewController("/console").setViewName("forward:/console/index.html");
        registry.addViewController("/console/").setViewName("forward:/console/index.html");
    }

    @Bean
    public FilterRegistrationBean<ConsoleSecurityHeadersFilter> consoleSecurityHeadersFilter() {
        FilterRegistrationBean<ConsoleSecurityHeadersFilter> reg =
                new FilterRegistrationBean<>(new ConsoleSecurityHeadersFilter());
        reg.setName("consoleSecurityHeadersFilter");
        reg.addUrlPatterns("/console", "/console/*");
        // before anything that might write the response (auth errors included)
        reg.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return reg;
    }

    /** Adds the console's security headers before the rest of the chain runs. */
    public static class ConsoleSecurityHeadersFilter extends OncePerRequestFilter {
        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            response.setHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("Referrer-Policy", "no-referrer");
            response.setHeader("X-Frame-Options", "DENY");
            response.setHeader("Cache-Control", "no-cache");
            chain.doFilter(request, response);
        }
    }
}
