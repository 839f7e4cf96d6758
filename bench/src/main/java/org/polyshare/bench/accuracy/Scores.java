package org.polyshare.bench.accuracy;

import org.polyshare.bench.compare.ReferenceCheck;

/**
 * How the secure logits compare with the plaintext ones on labelled images: both top-1 accuracies,
 * the images whose top-1 class differs, the largest logit error and the largest plaintext logit
 * (the error's scale).
 */
public record Scores(
    int images,
    int plainCorrect,
    int secureCorrect,
    int differing,
    double maxLogitError,
    double maxAbsLogit) {

  public static Scores of(double[][] plain, double[][] secure, int[] labels) {
    int plainOk = 0;
    int secureOk = 0;
    int differ = 0;
    double maxErr = 0;
    double maxLogit = 0;
    for (int i = 0; i < plain.length; i++) {
      int pa = ReferenceCheck.argmax(plain[i]);
      int sa = ReferenceCheck.argmax(secure[i]);
      plainOk += pa == labels[i] ? 1 : 0;
      secureOk += sa == labels[i] ? 1 : 0;
      differ += pa != sa ? 1 : 0;
      for (int c = 0; c < plain[i].length; c++) {
        maxErr = Math.max(maxErr, Math.abs(plain[i][c] - secure[i][c]));
        maxLogit = Math.max(maxLogit, Math.abs(plain[i][c]));
      }
    }
    return new Scores(plain.length, plainOk, secureOk, differ, maxErr, maxLogit);
  }

  public double plainAccuracy() {
    return (double) plainCorrect / images;
  }

  public double secureAccuracy() {
    return (double) secureCorrect / images;
  }
}
