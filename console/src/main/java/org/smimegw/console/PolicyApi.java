package org.smimegw.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.javalin.Javalin;
import io.javalin.http.Context;

import org.smimegw.gateway.policy.PolicyExplanation;
import org.smimegw.gateway.reload.GatewayReloader;
import org.smimegw.gateway.reload.PolicyHolder;
import org.smimegw.mailets.policy.EffectiveSetting;
import org.smimegw.mailets.policy.PartyPolicy;
import org.smimegw.mailets.policy.PolicySet;
import org.smimegw.mailets.policy.SettingOrigin;

/**
 * The policy in force: its summary, the effective settings of an address with the level each comes from,
 * {@code policy explain} (the same text as the command), and the reload ({@code POST /reload}'s, with the refusal's
 * FILE:LINE: REASON).
 */
final class PolicyApi implements Routes {
    record Pair(String from, String to) {
    }

    record SettingView(String name, String value, String level, String origin, String meaning) {
    }

    private final PolicyHolder policy;
    private final PolicyExplanation explanation;
    private final GatewayReloader reloader;
    private final AuditLog audit;

    PolicyApi(PolicyHolder policy, PolicyExplanation explanation, GatewayReloader reloader, AuditLog audit) {
        this.policy = policy;
        this.explanation = explanation;
        this.reloader = reloader;
        this.audit = audit;
    }

    @Override
    public void register(Javalin app) {
        app.get("/api/policy", this::summary, Role.ADMIN);
        app.post("/api/policy/explain", this::explain, Role.ADMIN);
        app.post("/api/reload", this::reload, Role.ADMIN);
    }

    /** The policy file in force and, for {@code ?address=} (default: an address no entry names), its settings. */
    private void summary(Context ctx) {
        PolicySet set = policy.current();
        String address = ctx.queryParamAsClass("address", String.class).getOrDefault("someone@example.invalid");
        org.smimegw.mailets.policy.Role role = "receiving".equalsIgnoreCase(ctx.queryParam("role"))
                ? org.smimegw.mailets.policy.Role.RECEIVING : org.smimegw.mailets.policy.Role.SENDING;
        PartyPolicy party = set.partyPolicy(address, role);
        List<SettingView> settings = new ArrayList<>();
        for (EffectiveSetting<?> s : party.values().values()) {
            SettingOrigin origin = s.origin();
            settings.add(new SettingView(s.setting().name(), s.formattedValue(),
                    origin.level().name().toLowerCase(Locale.ROOT), s.describeOrigins(), s.setting().meaning()));
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", set.file());
        json.put("summary", PolicyHolder.describe(set));
        json.put("address", address);
        json.put("role", role.name().toLowerCase(Locale.ROOT));
        json.put("settings", settings);
        ctx.json(json);
    }

    private void explain(Context ctx) {
        Pair pair = ctx.bodyAsClass(Pair.class);
        if (pair.from() == null || pair.to() == null || pair.to().isBlank()) {
            throw ApiException.badRequest("give from and to");
        }
        ctx.json(Map.of("from", pair.from(), "to", pair.to(), "text", explanation.explain(pair.from(), pair.to())));
    }

    private void reload(Context ctx) throws Exception {
        try {
            String summary = reloader.reload();
            audit.record(ctx, "reload", "", "ok", summary);
            ctx.json(Map.of("status", "ok", "message", summary));
        } catch (Exception e) {
            audit.record(ctx, "reload", "", "refused", e.getMessage());
            throw e;
        }
    }
}
