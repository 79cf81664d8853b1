# Regenerates the seed corpora of the fuzz targets with numpy (Debian's python3-numpy 1.24):
# `/usr/bin/python3 tests/fuzz/make_corpus.py` from the repository root. corpus/npy: valid float32/float64
# files in C and Fortran order with version 1.0, 2.0 and 3.0 headers, 1-D and 2-D, plus invalid ones (wrong
# magic, version, dtype, byte order, dimension count, truncation, trailing bytes, a NaN, a broken header).
# corpus/config: byte strings in the layout documented at the top of fuzz_config.cpp, one per pattern,
# kind, feature map and precision, with loaded q/k, custom masks and extreme scales.
# Crash inputs found later are added by hand as corpus/<target>/crash-<what> and are not rewritten here.
import io
import os
import struct

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def write(target, name, data):
    folder = os.path.join(here, 'corpus', target)
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), 'wb') as file:
        file.write(data)


def npy_bytes(array, version=None):
    buffer = io.BytesIO()
    if version is None:
        np.save(buffer, array)
    else:
        np.lib.format.write_array(buffer, array, version=version)
    return buffer.getvalue()


def npy_corpus():
    values = np.arange(6, dtype=np.float64).reshape(2, 3) / 8 - 0.25
    write('npy', 'c_f8_2x3.npy', npy_bytes(values))
    write('npy', 'c_f4_2x3.npy', npy_bytes(values.astype(np.float32)))
    write('npy', 'fortran_f8_2x3.npy', npy_bytes(np.asfortranarray(values)))
    write('npy', 'fortran_f4_3x2.npy', npy_bytes(np.asfortranarray(values.T.astype(np.float32))))
    write('npy', 'v2_f8_2x3.npy', npy_bytes(values, version=(2, 0)))
    write('npy', 'v3_fortran_f4_2x3.npy', npy_bytes(np.asfortranarray(values.astype(np.float32)), version=(3, 0)))
    write('npy', 'vector_f8_4.npy', npy_bytes(np.array([1.5, -2.0, 0.0, 1e-300])))
    write('npy', 'vector_f4_3.npy', npy_bytes(np.array([1.0, -0.0, 3e-45], dtype=np.float32)))
    write('npy', 'scalar_f8_1x1.npy', npy_bytes(np.array([[1e300]])))
    write('npy', 'empty_f8_0x3.npy', npy_bytes(np.zeros((0, 3))))
    # Invalid: each is rejected with its own message.
    valid = npy_bytes(values)
    write('npy', 'bad_magic.npy', b'\x93NUMPZ' + valid[6:])
    write('npy', 'bad_version_4.npy', valid[:6] + b'\x04\x00' + valid[8:])
    write('npy', 'truncated_data.npy', valid[:-3])
    write('npy', 'trailing_bytes.npy', valid + b'\x00' * 8)
    write('npy', 'truncated_header.npy', valid[:40])
    write('npy', 'int64_2x2.npy', npy_bytes(np.arange(4, dtype=np.int64).reshape(2, 2)))
    write('npy', 'big_endian_f8_2.npy', npy_bytes(np.array([1.0, 2.0], dtype='>f8')))
    write('npy', 'f8_2x2x2.npy', npy_bytes(np.zeros((2, 2, 2))))
    write('npy', 'nan_f8_2x2.npy', npy_bytes(np.array([[0.0, 1.0], [np.nan, 2.0]])))
    header = b"{'descr': '<f8', 'fortran_order': False, 'shape': (99999999999, 99999999999), }\n"
    write('npy', 'huge_shape.npy', b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header + b'\x00' * 8)
    header = b"{'descr': '<f8', 'fortran_order': Maybe, 'shape': (1,), }\n"
    write('npy', 'bad_bool.npy', b'\x93NUMPY\x01\x00' + struct.pack('<H', len(header)) + header + b'\x00' * 8)


# Field encoders of fuzz_config.cpp's layout.
PATTERNS = ['bidirectional', 'prefix', 'forward', 'backward', 'window', 'forward_window', 'custom']
KINDS = ['softmax', 'linear']
FEATURES = ['elu1', 'relu', 'exp', 'favor']
PRECISIONS = ['f64', 'f32']
SPECIAL = {0.0: 0, 1.0: 2, 1e-300: 4, 1e300: 5, float('inf'): 14, float('nan'): 16, 710.0: 18}


def int_small(value, lo):
    return bytes([0x00, value - lo])


def int_wild(value):
    return bytes([0xe0]) + struct.pack('<i', value)


def name(names, value):
    return bytes([names.index(value)])


def number(value):
    if value in SPECIAL:
        return bytes([0x00, SPECIAL[value]])
    return bytes([0x01]) + struct.pack('<d', value)


def config(n=8, d=4, pattern='bidirectional', kind='softmax', feature='elu1', precision='f64', prefix=0,
           window=1, features=16, scale=1.0, seed=0, repeat=0, want_matrix=True, rope=False, q=None, k=None,
           custom=None, raw_n=None):
    flags = (1 if want_matrix else 0) | (2 if rope else 0) | (4 if q is not None else 0)
    if q is not None and k is not None and np.shape(k) != np.shape(q):
        flags |= 8
    out = bytes([flags])
    out += int_wild(raw_n) if raw_n is not None else int_small(n, 1)
    out += int_small(d, 1)
    out += name(PATTERNS, pattern) + name(KINDS, kind) + name(FEATURES, feature) + name(PRECISIONS, precision)
    out += int_small(prefix, 0) + int_small(window, 1) + int_small(features, 1)
    out += number(scale)
    out += bytes([0x00, seed])
    out += int_small(repeat, 0)
    if q is not None:
        q = np.asarray(q, dtype=np.float64)
        k = q if k is None else np.asarray(k, dtype=np.float64)
        out += int_small(q.shape[0], 1) + int_small(q.shape[1], 1)
        out += b''.join(number(float(v)) for v in q.ravel())
        if flags & 8:
            out += int_small(k.shape[0], 1) + int_small(k.shape[1], 1)
        out += b''.join(number(float(v)) for v in k.ravel())
    if custom is not None:
        out += bytes(int(v) for v in np.asarray(custom).ravel())
    return out


def config_corpus():
    for pattern in PATTERNS[:-1]:
        write('config', f'softmax_{pattern}', config(pattern=pattern, prefix=3, window=2))
    for feature in FEATURES:
        for pattern in ['bidirectional', 'forward']:
            write('config', f'linear_{feature}_{pattern}', config(kind='linear', feature=feature, pattern=pattern))
    write('config', 'f32_forward', config(precision='f32', pattern='forward'))
    write('config', 'f32_linear_favor', config(precision='f32', kind='linear', feature='favor', features=32))
    write('config', 'custom_diagonal', config(pattern='custom', n=5, custom=np.eye(5, dtype=int)))
    write('config', 'custom_empty_row', config(pattern='custom', n=3, custom=[[1, 0, 0], [0, 0, 0], [1, 1, 1]]))
    write('config', 'rope_repeat', config(n=12, d=6, rope=True, repeat=3, seed=7))
    write('config', 'scale_1e300', config(scale=1e300, pattern='forward'))
    write('config', 'scale_1e-300', config(scale=1e-300, kind='linear'))
    write('config', 'scale_nan', config(scale=float('nan')))
    write('config', 'n_1', config(n=1, d=1))
    write('config', 'd_above_n', config(n=3, d=12))
    write('config', 'n_too_large', config(raw_n=5000))
    write('config', 'n_negative', config(raw_n=-3))
    write('config', 'loaded_qk', config(q=[[1.0, 0.5], [-2.0, 0.25], [0.0, 1.0]], pattern='prefix', prefix=1))
    write('config', 'loaded_qk_equal_rows', config(q=[[1.0, 1.0]] * 4, kind='linear', feature='relu'))
    write('config', 'loaded_qk_relu_zero_row', config(q=[[-1.0, -1.0], [1.0, 0.5]], kind='linear', feature='relu'))
    write('config', 'loaded_qk_shapes_differ', config(q=[[1.0, 2.0]], k=[[1.0], [2.0]]))
    write('config', 'loaded_qk_huge', config(q=[[1e300, -1e300], [1e300, 1e300]], scale=1e300))
    write('config', 'unknown_pattern', bytes([1, 0, 7, 0, 3, 0xf0, 3]) + b'cat')


if __name__ == '__main__':
    npy_corpus()
    config_corpus()
