package io.deksdenflow.orchestrator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The forge settings still waiting for their own record in the forge package: the webhook secret
 * (DEKSDENFLOW_WEBHOOK_TOKEN, DEKSDENFLOW_WEBHOOK_ALLOW_UNSIGNED) and DEKSDENFLOW_CI_LOG_EXCERPT_LINES.
 * Every other setting lives in a record of the package that owns it (e.g. {@code worker.WorkerSettings}).
 */
@ConfigurationProperties(prefix = "deksdenflow")
public class Settings {
    private String webhookToken = "";
    private boolean webhookAllowUnsigned = false;
    private int ciLogExcerptLines = 200;

    public String getWebhookToken() { return webhookToken; }
    public void setWebhookToken(String v) { webhookToken = v; }
    public boolean isWebhookAllowUnsigned() { return webhookAllowUnsigned; }
    public void setWebhookAllowUnsigned(boolean v) { webhookAllowUnsigned = v; }
    /** DEKSDENFLOW_CI_LOG_EXCERPT_LINES: the most lines kept of one failed job's log. */
    public int getCiLogExcerptLines() { return ciLogExcerptLines; }
    public void setCiLogExcerptLines(int v) { ciLogExcerptLines = Math.max(1, v); }
}
