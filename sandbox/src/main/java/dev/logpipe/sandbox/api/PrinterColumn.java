package dev.logpipe.sandbox.api;

/** One column of {@code kubectl get}: a CRD's additionalPrinterColumns entry. */
public record PrinterColumn(
    String name, String type, String jsonPath, int priority, String description) {}
