// In-place ascending sort of a raw array of T (integers) in linear memory: quicksort with a
// median-of-three pivot, insertion sort below 24 elements (cf. AssemblyScript std util/sort.ts).

@inline const INSERTION_MAX: i32 = 24;

export function sortRaw<T>(ptr: usize, n: i32): void {
  while (n > INSERTION_MAX) {
    let a = load<T>(ptr);
    let b = load<T>(ptr + ((<usize>n >> 1) << alignof<T>()));
    let c = load<T>(ptr + (<usize>(n - 1) << alignof<T>()));
    let pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = 0;
    let j = n - 1;
    while (i <= j) {
      while (load<T>(ptr + (<usize>i << alignof<T>())) < pivot) i++;
      while (load<T>(ptr + (<usize>j << alignof<T>())) > pivot) j--;
      if (i <= j) {
        let pi = ptr + (<usize>i << alignof<T>());
        let pj = ptr + (<usize>j << alignof<T>());
        let t = load<T>(pi);
        store<T>(pi, load<T>(pj));
        store<T>(pj, t);
        i++;
        j--;
      }
    }
    // recurse into the smaller side, loop on the larger: O(log n) stack
    if (j + 1 < n - i) {
      sortRaw<T>(ptr, j + 1);
      ptr += <usize>i << alignof<T>();
      n -= i;
    } else {
      sortRaw<T>(ptr + (<usize>i << alignof<T>()), n - i);
      n = j + 1;
    }
  }
  for (let i = 1; i < n; i++) {
    let v = load<T>(ptr + (<usize>i << alignof<T>()));
    let j = i - 1;
    while (j >= 0) {
      let w = load<T>(ptr + (<usize>j << alignof<T>()));
      if (w <= v) break;
      store<T>(ptr + (<usize>(j + 1) << alignof<T>()), w);
      j--;
    }
    store<T>(ptr + (<usize>(j + 1) << alignof<T>()), v);
  }
}
