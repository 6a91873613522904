/**
 * A planted bug for the chaos suite, test sources only: proof that the harness has teeth. Nothing here exists in
 * a production build (these classes are never packaged), and production code has no switch that enables it.
 */
package io.berth.cli.planted;
