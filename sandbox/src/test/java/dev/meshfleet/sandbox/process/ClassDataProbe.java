package dev.meshfleet.sandbox.process;

/** Test fixture of {@link ClassDataArchiveIT}: loads a class of its own, says "ready", then waits to be killed. */
public final class ClassDataProbe {

    private ClassDataProbe() {
    }

    /** Loaded by the probe's start, as a service loads its classes. */
    static final class Loaded {
        static String name() {
            return "loaded";
        }
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println(Loaded.name());
        System.out.println("ready");
        System.out.flush();
        Thread.currentThread().join();
    }
}
