package dev.meshfleet.installer.render;

import java.nio.file.Path;

import dev.meshfleet.installer.model.ChartSpec;

/** Child process of {@link JvmSignalsTest}: renders one chart through helm-java, says so, then waits to be stopped. */
public final class RenderThenWait {
    private RenderThenWait() {
    }

    public static void main(String[] args) throws InterruptedException {
        new ChartRenderer(Path.of(args[0])).render(new ChartSpec("base", "base", "istio-system", "{}"));
        System.out.println("rendered");
        System.out.flush();
        Thread.sleep(120_000);
    }
}
