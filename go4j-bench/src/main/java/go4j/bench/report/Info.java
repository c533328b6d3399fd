package go4j.bench.report;

import go4j.Go;

/** Prints which scheduler go4j uses under the current {@code -Dgo4j.scheduler} (bench/run records it). */
public final class Info {
    private Info() {}

    public static void main(String[] args) {
        System.out.println(Go.runtimeInfo());
    }
}
