package dev.byoe.serve.models;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of the Java heap an object graph holds: every object reachable from the root through
 * instance fields, each counted once at its size in this JVM's layout (object header, fields,
 * 8-byte alignment; compressed references when the JVM uses them). Arrays, strings and the objects
 * of models are exact to the layout; the JDK's own collections, whose fields are closed to
 * reflection, are walked through their public API and counted at the size of their usual
 * implementation. Classes, class loaders, threads and enum constants are shared by every model and
 * not counted.
 */
final class HeapSize {
    private static final int REFERENCE;
    private static final int HEADER;
    private static final int ARRAY_HEADER;

    static {
        boolean compressedOops = flag("UseCompressedOops", true);
        boolean compact = flag("UseCompactObjectHeaders", false);
        boolean compressedClasses = compact || flag("UseCompressedClassPointers", true);
        REFERENCE = compressedOops ? 4 : 8;
        HEADER = compact ? 8 : compressedClasses ? 12 : 16;
        ARRAY_HEADER = HEADER + 4;
    }

    private static final ClassValue<Shape> SHAPES =
            new ClassValue<>() {
                @Override
                protected Shape computeValue(Class<?> type) {
                    return Shape.of(type);
                }
            };

    private HeapSize() {}

    /** Heap bytes reachable from {@code root}. */
    static long of(Object root) {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object> todo = new ArrayDeque<>();
        todo.push(root);
        long total = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (seen.add(o)) {
                total += visit(o, todo);
            }
        }
        return total;
    }

    private static long visit(Object o, ArrayDeque<Object> todo) {
        Class<?> type = o.getClass();
        if (o instanceof Class<?>
                || o instanceof ClassLoader
                || o instanceof Thread
                || o instanceof Enum<?>
                || o instanceof Module) {
            return 0;
        }
        if (type.isArray()) {
            return array(o, type.getComponentType(), todo);
        }
        if (o instanceof String s) {
            boolean latin1 = s.chars().allMatch(c -> c < 256);
            return align(HEADER + REFERENCE + 4 + 2)
                    + align(ARRAY_HEADER + (long) s.length() * (latin1 ? 1 : 2));
        }
        Shape shape = SHAPES.get(type);
        if (shape.open()) {
            for (Field f : shape.references()) {
                try {
                    Object v = f.get(o);
                    if (v != null) {
                        todo.push(v);
                    }
                } catch (IllegalAccessException e) {
                    // counted shallow
                }
            }
            return shape.bytes();
        }
        if (o instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                push(e.getKey(), todo);
                push(e.getValue(), todo);
            }
            // HashMap: the map, its table (a power of two at load factor 0.75), a node per entry.
            long table = Integer.highestOneBit(Math.max(1, map.size() * 4 / 3)) * 2L;
            return shape.bytes()
                    + align(ARRAY_HEADER + table * REFERENCE)
                    + map.size() * align(HEADER + 4 + 3L * REFERENCE);
        }
        if (o instanceof Collection<?> c) {
            for (Object e : c) {
                push(e, todo);
            }
            // An array-backed list, or a set over a map as above.
            return shape.bytes() + align(ARRAY_HEADER + (long) c.size() * REFERENCE);
        }
        return shape.bytes();
    }

    private static long array(Object array, Class<?> component, ArrayDeque<Object> todo) {
        int n = Array.getLength(array);
        if (!component.isPrimitive()) {
            for (Object e : (Object[]) array) {
                push(e, todo);
            }
            return align(ARRAY_HEADER + (long) n * REFERENCE);
        }
        return align(ARRAY_HEADER + (long) n * primitiveBytes(component));
    }

    private static void push(Object o, ArrayDeque<Object> todo) {
        if (o != null) {
            todo.push(o);
        }
    }

    /**
     * A class's instance size and its reference fields, when reflection may read them ({@code
     * open}).
     */
    private record Shape(long bytes, List<Field> references, boolean open) {
        static Shape of(Class<?> type) {
            long bytes = HEADER;
            List<Field> refs = new ArrayList<>();
            boolean open = true;
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (Modifier.isStatic(f.getModifiers())) {
                        continue;
                    }
                    if (f.getType().isPrimitive()) {
                        bytes += primitiveBytes(f.getType());
                    } else {
                        bytes += REFERENCE;
                        if (open && f.trySetAccessible()) {
                            refs.add(f);
                        } else {
                            open = false;
                        }
                    }
                }
            }
            return new Shape(align(bytes), List.copyOf(refs), open);
        }
    }

    private static int primitiveBytes(Class<?> type) {
        if (type == long.class || type == double.class) {
            return 8;
        }
        if (type == int.class || type == float.class) {
            return 4;
        }
        if (type == short.class || type == char.class) {
            return 2;
        }
        return 1;
    }

    private static long align(long bytes) {
        return (bytes + 7) & ~7L;
    }

    private static boolean flag(String name, boolean fallback) {
        try {
            return Boolean.parseBoolean(
                    ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                            .getVMOption(name)
                            .getValue());
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
