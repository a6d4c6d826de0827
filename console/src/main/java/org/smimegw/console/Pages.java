package org.smimegw.console;

import java.util.Locale;
import java.util.Map;

import io.javalin.Javalin;
import io.javalin.http.Context;
import org.thymeleaf.TemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.ClassLoaderTemplateResolver;

/**
 * The pages: HTML shells from Thymeleaf templates ({@code console/templates/}), the same layout and navigation for
 * each; their data and every action go through the JSON API ({@code /static/console.js}).
 */
final class Pages implements Routes {
    /** Path, template, role. */
    private record Page(String path, String template, Role role, String title) {
    }

    private static final Page[] PAGES = {
            new Page("/login", "login", Role.ANYONE, "Log in"),
            new Page("/", "overview", Role.ADMIN, "Overview"),
            new Page("/queue", "queue", Role.ADMIN, "Queue"),
            new Page("/quarantine", "quarantine", Role.ADMIN, "Quarantine"),
            new Page("/certificates", "certificates", Role.ADMIN, "Certificates"),
            new Page("/policy", "policy", Role.ADMIN, "Policy"),
            new Page("/pipeline", "pipeline", Role.ADMIN, "Pipeline"),
            new Page("/audit", "audit", Role.ADMIN, "Audit log"),
            new Page("/me", "me", Role.USER, "My certificate"),
    };

    private final TemplateEngine templates;
    private final String gatewayName;

    Pages(String gatewayName) {
        ClassLoaderTemplateResolver resolver = new ClassLoaderTemplateResolver(Pages.class.getClassLoader());
        resolver.setPrefix("console/templates/");
        resolver.setSuffix(".html");
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCharacterEncoding("UTF-8");
        resolver.setCacheable(true);
        this.templates = new TemplateEngine();
        this.templates.setTemplateResolver(resolver);
        this.gatewayName = gatewayName;
    }

    @Override
    public void register(Javalin app) {
        for (Page page : PAGES) {
            app.get(page.path(), ctx -> render(ctx, page), page.role());
        }
    }

    private void render(Context ctx, Page page) {
        var principal = Sessions.principal(ctx);
        org.thymeleaf.context.Context model = new org.thymeleaf.context.Context(Locale.ENGLISH, Map.of(
                "page", page.template(),
                "title", page.title(),
                "gateway", gatewayName,
                "csrf", Sessions.csrfToken(ctx),
                "user", principal.map(Principal::name).orElse(""),
                "admin", principal.map(p -> p.role() == Role.ADMIN).orElse(false)));
        ctx.contentType("text/html; charset=utf-8");
        ctx.result(templates.process(page.template(), model));
    }
}
