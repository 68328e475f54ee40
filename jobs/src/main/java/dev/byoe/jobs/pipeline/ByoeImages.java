package dev.byoe.jobs.pipeline;

import java.util.Set;

/**
 * Which images are byoe's: any image URI whose repository name is {@code byoe} (any registry,
 * account, region, tag or digest), or one the user names.
 */
public record ByoeImages(Set<String> named) {
    public boolean contains(String uri) {
        if (named.contains(uri)) {
            return true;
        }
        String image = uri;
        int digest = image.indexOf('@');
        if (digest >= 0) {
            image = image.substring(0, digest);
        }
        int slash = image.lastIndexOf('/');
        String last = image.substring(slash + 1);
        int tag = last.indexOf(':');
        String repository = tag >= 0 ? last.substring(0, tag) : last;
        return repository.equals("byoe");
    }
}
