package dev.meshfleet.intake;

import java.time.Clock;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.Config;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.meshfleet.intake.admission.AdmissionRequest;
import dev.meshfleet.intake.admission.AdmissionReviews;
import dev.meshfleet.intake.admission.AdmissionRules;
import dev.meshfleet.intake.publish.AdmissionPublisher;
import dev.meshfleet.schemas.KafkaClientSettings;
import dev.meshfleet.translation.Translator;
import dev.meshfleet.translation.TranslatorSettings;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

/**
 * The validating admission webhook (docs/adr/0023): {@code POST /admission/validate} takes an admission.k8s.io/v1
 * AdmissionReview for an ILM or GLM, refuses a spec the translator would refuse (naming each field), and records who
 * made every admitted create, update and delete on the admissions topic before it answers. Kubernetes calls it over
 * HTTPS: the chart gives Quarkus the certificate ({@code quarkus.http.ssl.certificate.*}, port
 * {@code quarkus.http.ssl-port}).
 */
@ApplicationScoped
public class AdmissionWebhook {
    public static final String PATH = "/admission/validate";
    private static final Logger LOG = Logger.getLogger(AdmissionWebhook.class);

    @Inject
    IntakeConfig config;
    @Inject
    Config configuration;
    @Inject
    MeterRegistry registry;

    private final ObjectMapper mapper = new ObjectMapper();
    private volatile AdmissionRules rules;
    private volatile AdmissionPublisher publisher;
    private volatile boolean stopped;

    void route(@Observes Router router) {
        if (!config.admission().enabled()) {
            return;
        }
        TranslatorSettings defaults = TranslatorSettings.defaults();
        rules = new AdmissionRules(new Translator(new TranslatorSettings(defaults.defaultRevision(), defaults.defaultHub(),
                defaults.defaultTag(), config.admission().defaultChartSource().orElse(null),
                config.admission().allowedChartSources().orElse(List.of()))));
        publisher = AdmissionPublisher.create(KafkaClientSettings.fromConfig(configuration), config.admission().topic(),
                config.admission().publishTimeout());
        // Until the heads are read, publishing fails and the request is allowed unrecorded, as with Kafka down.
        publisher.chain().loadInBackground("admission-audit-chain", () -> !stopped,
                why -> LOG.warnf("audit chain heads of %s not read yet: %s", config.admission().topic(), why));
        router.post(PATH).handler(BodyHandler.create()).blockingHandler(this::handle, false);
    }

    void onStop(@Observes ShutdownEvent event) {
        stopped = true;
        if (publisher != null) {
            publisher.close();
        }
    }

    private void handle(RoutingContext context) {
        Optional<AdmissionRequest> request;
        String requestUid;
        try {
            JsonNode review = mapper.readTree(context.body().asString());
            request = AdmissionReviews.request(review);
            requestUid = review.path("request").path("uid").asText();
        } catch (java.io.IOException | RuntimeException e) {
            context.response().setStatusCode(400).end("not an AdmissionReview: " + e.getMessage());
            return;
        }
        AdmissionRules.Decision decision = request.map(r -> rules.decide(r, Clock.systemUTC().instant()))
                .orElse(new AdmissionRules.Allowed(Optional.empty()));
        if (decision instanceof AdmissionRules.Allowed allowed && allowed.record().isPresent()) {
            try {
                publisher.publish(allowed.record().get());
            } catch (RuntimeException e) {
                // Allowed all the same: a Kafka outage must not stop every change (docs/adr/0023); history names the
                // field manager for this one.
                registry.counter("meshfleet.intake.admission.unrecorded").increment();
                LOG.warnf("allowed %s %s/%s by %s without recording it: %s", allowed.record().get().operation(),
                        request.get().namespace(), request.get().name(), request.get().username(), e.getMessage());
            }
        }
        registry.counter("meshfleet.intake.admission", "decision",
                decision instanceof AdmissionRules.Denied ? "denied" : "allowed").increment();
        context.response().putHeader("Content-Type", "application/json")
                .end(AdmissionReviews.response(requestUid, decision).toString());
    }
}
