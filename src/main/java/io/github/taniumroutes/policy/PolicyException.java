package io.github.taniumroutes.policy;

import java.util.List;

/** A policy that cannot be used, with every problem found, each as {@code file:line: problem}. */
public class PolicyException extends Exception {

    private final List<String> problems;

    public PolicyException(List<String> problems) {
        super(String.join("\n", problems), null, false, false);
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
