package io.deksdenflow.orchestrator.config;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** One property picks the database: DEKSDENFLOW_DB_URL (PostgreSQL) or the SQLite file. */
@Configuration(proxyBeanMethods = false)
class DataSourceConfig {
    private static final Logger log = LoggerFactory.getLogger(DataSourceConfig.class);

    @Bean(destroyMethod = "close")
    DataSource dataSource(DatabaseSettings settings) throws Exception {
        DatabaseUrls urls = DatabaseUrls.from(settings.dbUrl(), settings.dbPath());
        HikariConfig cfg = new HikariConfig();
        cfg.setJdbcUrl(urls.jdbcUrl());
        cfg.setUsername(urls.username());
        cfg.setPassword(urls.password());
        cfg.setMaximumPoolSize(Math.max(1, settings.dbPoolSize()));
        cfg.setPoolName("deksdenflow-db");
        cfg.setConnectionTimeout(15_000);
        if (urls.isSqlite()) {
            Path file = urls.sqliteFile().orElse(null);
            if (file != null && file.getParent() != null) Files.createDirectories(file.getParent());
            cfg.setMinimumIdle(1);
        }
        log.info("database: {}", urls.redacted());
        return new HikariDataSource(cfg);
    }

    @Bean
    NamedParameterJdbcTemplate namedParameterJdbcTemplate(DataSource dataSource) {
        return new NamedParameterJdbcTemplate(dataSource);
    }
}
