package io.github.taniumroutes.policy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.camel.CamelContext;
import org.apache.camel.Variable;
import org.jboss.logging.Logger;

import io.github.taniumroutes.alert.CanonicalAlert;
import io.github.taniumroutes.tanium.TaniumSettings;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The policy in force, for the routes: loaded from {@code policy.file} at start-up (an invalid
 * policy stops the start), reloaded when the file changes (an invalid one is refused and the
 * previous one stays in force), and applied to each alert. The kill switch is a file: while
 * {@code policy.kill-switch-file} exists, every remediation is a dry run.
 */
@Singleton
@Named("playbookPolicy")
public class PlaybookPolicy {

    private static final Logger LOG = Logger.getLogger(PlaybookPolicy.class);

    private final Path file;
    private final Path killSwitchFile;
    private final Policy.Mode mode;
    private final PolicyLoader loader;
    private final PolicyDecisions decisions;
    private final AtomicReference<Policy> current = new AtomicReference<>();
    /** The content last refused, so a broken file is reported once, not at every check. */
    private volatile String refusedContent;

    @Inject
    public PlaybookPolicy(@ConfigProperty(name = "policy.file") String file,
            @ConfigProperty(name = "policy.mode") String mode,
            @ConfigProperty(name = "policy.kill-switch-file") String killSwitchFile,
            TaniumSettings servers, StepTypes types, CamelContext camel) throws IOException, PolicyException {
        this.file = Path.of(file);
        this.killSwitchFile = Path.of(killSwitchFile);
        this.mode = "live".equals(mode.strip().toLowerCase(Locale.ROOT)) ? Policy.Mode.LIVE : Policy.Mode.DRY_RUN;
        this.loader = new PolicyLoader(servers.servers().keySet(), types);
        // A step type is implemented when the route that starts it exists: adding a response is adding
        // its routes (enrichment is the enrich route every alert takes).
        this.decisions = new PolicyDecisions(type -> "enrich".equals(type) || camel.getRoute(types.get(type).entryRoute()) != null,
                () -> Files.exists(this.killSwitchFile));
        current.set(loader.load(file, Files.readString(this.file), this.mode));
        LOG.infof("Policy %s loaded from %s (%s, %d rules)", current.get().version(), file, this.mode, current.get().rules().size());
    }

    public Policy current() {
        return current.get();
    }

    /** Reloads the file if its content changed; returns the version in force afterwards. */
    public String reloadIfChanged() {
        Policy inForce = current.get();
        String content = null;
        try {
            content = Files.readString(file);
            if (content.equals(refusedContent)) {
                return inForce.version();
            }
            Policy candidate = loader.load(file.toString(), content, mode);
            refusedContent = null;
            if (!candidate.version().equals(inForce.version())) {
                current.set(candidate);
                LOG.infof("Policy %s loaded from %s, replacing %s", candidate.version(), file, inForce.version());
            }
        } catch (PolicyException e) {
            refusedContent = content;
            LOG.errorf("Policy %s refused; %s stays in force:%n%s", file, inForce.version(), e.getMessage());
        } catch (IOException e) {
            LOG.errorf("Policy %s unreadable (%s); %s stays in force", file, e.getMessage(), inForce.version());
        }
        return current.get().version();
    }

    /**
     * Why a remediation the policy decided to run live for {@code ruleName} must not run now, or null
     * when it still may: asked again by a step right before it changes anything, because a long plan
     * (a snapshot first, an approval wait) can outlast the decision — the kill switch may have been set,
     * this instance may run in dry-run mode, or the rule may no longer be live.
     */
    public String dryRunNow(String ruleName) {
        if (Files.exists(killSwitchFile)) {
            return "kill switch: all remediation is dry-run";
        }
        if (mode != Policy.Mode.LIVE) {
            return "global mode: dry-run";
        }
        Policy policy = current.get();
        Rule rule = policy.rules().stream().filter(r -> r.name().equals(ruleName)).findFirst()
                .orElse(policy.defaultRule() != null && policy.defaultRule().name().equals(ruleName) ? policy.defaultRule() : null);
        if (rule == null) {
            return "rule '" + ruleName + "' is no longer in policy " + policy.version();
        }
        return rule.live() ? null : "rule '" + ruleName + "' is no longer live in policy " + policy.version();
    }

    public Decision decide(@Variable("alert") CanonicalAlert alert) {
        return decisions.decide(current.get(), alert, "default", Instant.now());
    }

    /** The Tanium server and enrich sensors the alert's decision will name, without deciding (see PolicyDecisions.enrichment). */
    public PolicyDecisions.Enrichment enrichment(CanonicalAlert alert) {
        return decisions.enrichment(current.get(), alert, "default");
    }
}
