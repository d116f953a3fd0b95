package dev.oauthlet.internal.archfixture;

/** Stands for an implementation class of core in {@code ArchitectureTest}'s fixture; never published. */
public final class Hidden {
}
