package io.deksdenflow.orchestrator.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the class of an engine failure from what the CLI reported: the model API's HTTP status when
 * the CLI gives it (Claude Code's {@code api_error_status}), else the error text of either CLI
 * ({@code unexpected status 401 Unauthorized}, {@code API Error: 400 …}, {@code invalid_request_error},
 * {@code You've hit your usage limit … try again at Jan 1st, 2031 12:00 AM}, …). Anything not
 * recognised is transient: a retry is the safe default.
 */
public final class ErrorClassifier {
    private ErrorClassifier() {}

    public record Classified(ErrorClass errorClass, Instant resetAt) {}

    private static final Pattern STATUS = Pattern.compile(
            "(?:status(?: code)?[: ]+|api error:? (?:request rejected \\()?|http[ /]?)([45]\\d\\d)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern USAGE = Pattern.compile(
            "usage limit|usage_limit|rate limit|rate_limit|limit reached|too many requests|quota exceeded|insufficient_quota",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern PERMANENT = Pattern.compile(
            "invalid_request_error|authentication_error|permission_error|not_found_error|invalid x-api-key"
                    + "|invalid api key|model_not_found|unknown model|model .{0,80}does not exist|unsupported model",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AT_DATE = Pattern.compile(
            "(?:try again|resets?)(?: at| on)? ([A-Z][a-z]{2}) (\\d{1,2})(?:st|nd|rd|th)?,? (\\d{4}),? (\\d{1,2}:\\d{2}) ?([AP]M)",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern AT_TIME = Pattern.compile(
            "(?:try again|resets?)(?: at)? (\\d{1,2}(?::\\d{2})?) ?([ap]m)\\b", Pattern.CASE_INSENSITIVE);
    private static final Pattern IN = Pattern.compile(
            "(?:try again|retry|resets?)(?: again)? in (\\d+) ?(s|sec|secs|seconds?|m|min|mins|minutes?|h|hours?)\\b",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern ISO = Pattern.compile(
            "(?:reset|try again|retry)[^0-9]{0,20}(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2}))",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern EPOCH = Pattern.compile("(?:limit reached|resets?_at\"?:?)\\|? ?(\\d{10})\\b",
            Pattern.CASE_INSENSITIVE);

    /** @param httpStatus the model API's status when the CLI reports it, else null */
    public static Classified classify(Integer httpStatus, String text, ZoneId zone, Instant now) {
        String t = text == null ? "" : text;
        Integer status = httpStatus;
        if (status == null) {
            Matcher m = STATUS.matcher(t);
            if (m.find()) status = Integer.parseInt(m.group(1));
        }
        if ((status != null && status == 429) || USAGE.matcher(t).find()) {
            return new Classified(ErrorClass.USAGE_LIMIT, resetAt(t, zone, now));
        }
        if (status != null && (status == 400 || status == 401 || status == 403 || status == 404 || status == 422)) {
            return new Classified(ErrorClass.PERMANENT, null);
        }
        if ((status == null || status < 500) && PERMANENT.matcher(t).find()) {
            return new Classified(ErrorClass.PERMANENT, null);
        }
        return new Classified(ErrorClass.TRANSIENT, null);
    }

    public static Classified classify(Integer httpStatus, String text) {
        return classify(httpStatus, text, ZoneId.systemDefault(), Instant.now());
    }

    /** The reset time a usage-limit message names, if any; in the agent's (= the service's) time zone. */
    static Instant resetAt(String t, ZoneId zone, Instant now) {
        Matcher m = ISO.matcher(t);
        if (m.find()) {
            try {
                return java.time.OffsetDateTime.parse(m.group(1).replaceAll("([+-]\\d{2})(\\d{2})$", "$1:$2")).toInstant();
            } catch (DateTimeParseException ignored) {
                // try the other shapes
            }
        }
        m = EPOCH.matcher(t);
        if (m.find()) return Instant.ofEpochSecond(Long.parseLong(m.group(1)));
        m = AT_DATE.matcher(t);
        if (m.find()) {
            try {
                String s = m.group(1).substring(0, 1).toUpperCase() + m.group(1).substring(1).toLowerCase()
                        + " " + m.group(2) + " " + m.group(3) + " " + m.group(4) + " " + m.group(5).toUpperCase();
                LocalDateTime ldt = LocalDateTime.parse(s, DateTimeFormatter.ofPattern("MMM d yyyy h:mm a", Locale.ENGLISH));
                return ldt.atZone(zone).toInstant();
            } catch (DateTimeParseException ignored) {
                // try the other shapes
            }
        }
        m = AT_TIME.matcher(t);
        if (m.find()) {
            try {
                String hm = m.group(1).contains(":") ? m.group(1) : m.group(1) + ":00";
                LocalTime time = LocalTime.parse(hm + " " + m.group(2).toUpperCase(),
                        DateTimeFormatter.ofPattern("h:mm a", Locale.ENGLISH));
                ZonedDateTime at = LocalDate.ofInstant(now, zone).atTime(time).atZone(zone);
                if (at.toInstant().isBefore(now.minus(Duration.ofMinutes(1)))) at = at.plusDays(1);
                return at.toInstant();
            } catch (DateTimeParseException ignored) {
                // try the other shapes
            }
        }
        m = IN.matcher(t);
        if (m.find()) {
            long n = Long.parseLong(m.group(1));
            char unit = Character.toLowerCase(m.group(2).charAt(0));
            Duration d = unit == 'h' ? Duration.ofHours(n) : unit == 'm' ? Duration.ofMinutes(n) : Duration.ofSeconds(n);
            return now.plus(d);
        }
        return null;
    }
}
