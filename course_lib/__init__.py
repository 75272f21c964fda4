"""The student's package for the softmax regression course.

Exercise modules (softmax, losses, metrics, model, optim, training, concise) are stubs for you to
complete; data and plotting are given. Import what you need from each module, e.g.
`from course_lib.data import load_data_fashion_mnist`. Nothing heavy is imported here.
"""
