package io.deksdenflow.orchestrator.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.util.Properties;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSenderImpl;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import org.springframework.web.util.HtmlUtils;

/**
 * An e-mail channel: a short plain text + HTML mail through Spring's {@link JavaMailSenderImpl} on
 * DEKSDENFLOW_SMTP_HOST/_PORT (STARTTLS required when DEKSDENFLOW_SMTP_STARTTLS, login when a user is set), with
 * the delivery's id as {@code Message-ID}-like header {@code X-DeksdenFlow-Message-Id} for de-duplication.
 */
@Component
class EmailSender {
    private final NotifySettings settings;
    private final JavaMailSenderImpl mail;

    EmailSender(NotifySettings settings) {
        this.settings = settings;
        this.mail = new JavaMailSenderImpl();
        mail.setHost(settings.smtpHost());
        mail.setPort(settings.smtpPort());
        mail.setDefaultEncoding("UTF-8");
        if (!settings.smtpUsername().isEmpty()) {
            mail.setUsername(settings.smtpUsername());
            mail.setPassword(settings.smtpPassword());
        }
        Properties p = mail.getJavaMailProperties();
        p.put("mail.smtp.auth", Boolean.toString(!settings.smtpUsername().isEmpty()));
        p.put("mail.smtp.starttls.enable", Boolean.toString(settings.smtpStarttls()));
        p.put("mail.smtp.starttls.required", Boolean.toString(settings.smtpStarttls()));
        p.put("mail.smtp.connectiontimeout", "5000");
        p.put("mail.smtp.timeout", "10000");
        p.put("mail.smtp.writetimeout", "10000");
    }

    void send(Channel.Email channel, Message m) throws DeliveryFailure {
        if (settings.smtpHost().isEmpty()) {
            throw new DeliveryFailure.Refused(channel.label() + ": DEKSDENFLOW_SMTP_HOST is not set", null);
        }
        try {
            MimeMessage mime = mail.createMimeMessage();
            MimeMessageHelper helper = new MimeMessageHelper(mime, true, "UTF-8");
            helper.setFrom(settings.smtpFrom());
            helper.setTo(channel.to().toArray(String[]::new));
            helper.setSubject(m.title());
            helper.setText(text(m), html(m));
            mime.setHeader("X-DeksdenFlow-Message-Id", m.messageId());
            mail.send(mime);
        } catch (MessagingException | MailException e) { // the server's answer, never the password
            throw new DeliveryFailure(channel.label() + ": SMTP " + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()), null, null);
        }
    }

    static String text(Message m) {
        StringBuilder b = new StringBuilder(m.summary()).append("\n\n");
        m.links().forEach((name, url) -> {
            if (url != null) b.append(name).append(": ").append(url).append('\n');
        });
        return b.append("\nEvent ").append(m.eventType()).append(" #").append(m.eventId()).append('\n').toString();
    }

    static String html(Message m) {
        StringBuilder b = new StringBuilder("<html><body><p>").append(HtmlUtils.htmlEscape(m.summary())).append("</p><p>");
        m.links().forEach((name, url) -> {
            if (url != null && url.matches("https?://\\S+")) {
                b.append("<a href=\"").append(HtmlUtils.htmlEscape(url)).append("\">").append(HtmlUtils.htmlEscape(name))
                        .append("</a> ");
            }
        });
        return b.append("</p><p style=\"color:#666\">Event ").append(HtmlUtils.htmlEscape(m.eventType())).append(" #")
                .append(m.eventId()).append("</p></body></html>").toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        String line = s.lines().findFirst().orElse("");
        return line.length() > 200 ? line.substring(0, 200) : line;
    }
}
